export const id = 556;
export const ids = [556];
export const modules = {

/***/ 66556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Engine: () => (/* binding */ Engine)
/* harmony export */ });
/* harmony import */ var dockerode__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(39040);
/* harmony import */ var dockerode__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(dockerode__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98286);



// Under the 10 s within which an unreachable engine must fail the step.
const ANSWER_TIMEOUT_MS = 8_000;
/**
 * No call may wait on the engine forever: one that gets no byte from it for this long fails.
 * Pulls and pushes stream progress, so only a stalled one is cut. DOCKER_CLIENT_TIMEOUT (ms),
 * as docker-modem reads it, sets another.
 */
const IDLE_TIMEOUT_MS = Number(process.env.DOCKER_CLIENT_TIMEOUT) || 300_000;
const DOCKER_HOST_SCHEMES = ['unix:', 'tcp:', 'http:', 'https:', 'ssh:', 'npipe:'];
/** The only user of dockerode: the Docker engine as this action needs it. */
class Engine {
    docker = new (dockerode__WEBPACK_IMPORTED_MODULE_0___default())({ timeout: IDLE_TIMEOUT_MS });
    /**
     * The engine's version, which also proves it answers: fails fast, with what to do, when
     * there is no engine to talk to.
     */
    async version() {
        const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
        if (!DOCKER_HOST_SCHEMES.some((scheme) => where.startsWith(`${scheme}//`)))
            throw new Error(`DOCKER_HOST "${where}" is not a Docker engine address: use unix:///path, tcp://host:port or ssh://user@host`);
        try {
            // @types/dockerode lags: version() takes { abortSignal } like the other calls do.
            const version = this.docker.version.bind(this.docker);
            return (await version({ abortSignal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) })).Version;
        }
        catch (error) {
            const reason = error.name === 'AbortError' || error.name === 'TimeoutError'
                ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s. Check that DOCKER_HOST points at a Docker engine.`
                : unreachable(error);
            throw new Error(`Cannot reach the Docker engine at ${where}: ${reason}`, { cause: error });
        }
    }
    async findImage(reference) {
        try {
            return await this.docker.getImage(reference).inspect();
        }
        catch (error) {
            if (statusCode(error) === 404)
                return undefined;
            throw new Error(`Cannot inspect image ${reference}: ${describe(error)}`, { cause: error });
        }
    }
    /** The local images that carry this label with this value, newest first. */
    async imagesLabelled(label, value) {
        let listed;
        try {
            listed = await this.docker.listImages({
                filters: JSON.stringify({ label: [`${label}=${value}`] }),
            });
        }
        catch (error) {
            throw new Error(`Cannot list the images labelled ${label}: ${describe(error)}`, {
                cause: error,
            });
        }
        const images = await Promise.all(listed.map((image) => this.findImage(image.Id)));
        return images
            .filter((image) => image !== undefined)
            .sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
    }
    async inspectImage(reference) {
        const image = await this.findImage(reference);
        if (!image)
            throw new Error(`Image ${reference} does not exist`);
        return image;
    }
    /** Pulls an image, with the registry's credentials when there are any. */
    async pull(reference, auth) {
        const { tag, digest } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseImageReference */ .o)(reference);
        const explicit = tag || digest ? reference : `${reference}:latest`;
        try {
            await this.follow(await this.docker.pull(explicit, auth ? { authconfig: auth } : {}));
        }
        catch (error) {
            throw new Error(`Cannot pull ${explicit}: ${describe(error)}`, { cause: error });
        }
    }
    /**
     * Pushes one tag (never the whole repository, so that other local tags stay local) and
     * returns the manifest digest that the registry answered with.
     */
    async push(reference, auth) {
        const { name, tag } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseImageReference */ .o)(reference);
        try {
            const stream = await this.docker
                .getImage(name)
                .push({ tag: tag ?? 'latest', ...(auth && { authconfig: auth }) });
            const events = await this.follow(stream);
            const digest = events.map((event) => event.aux?.Digest).find(Boolean);
            if (!digest)
                throw new Error('the push finished without a digest from the registry');
            return digest;
        }
        catch (error) {
            throw new Error(`Cannot push ${reference}: ${describe(error)}`, { cause: error });
        }
    }
    /**
     * Reads a pull or push progress stream to its end. The engine reports most failures inside
     * an HTTP 200 stream, which dockerode's followProgress does not treat as errors.
     */
    follow(stream) {
        return new Promise((resolve, reject) => {
            let failure;
            this.docker.modem.followProgress(stream, (error, events) => error || failure ? reject(error ?? failure) : resolve(events), (event) => {
                if (event.error && !failure)
                    failure = new Error(event.errorDetail?.message || event.error);
            });
        });
    }
    /** What the outputs say of a built image. */
    async builtImage(id) {
        const image = await this.inspectImage(id);
        return {
            id: image.Id,
            size: image.Size,
            layerSize: await this.topLayerSize(id),
            layers: image.RootFS?.Layers?.length ?? 0,
        };
    }
    /**
     * Bytes the topmost layer adds, as `docker history` reports them. A run config applied after
     * the build adds history entries with no layer (size 0) above it; a build's commit always
     * changes some files, so the first entry with a size is its layer.
     */
    async topLayerSize(id) {
        const history = await this.docker.getImage(id).history();
        return history.find((entry) => entry.Size > 0)?.Size ?? 0;
    }
    async tag(id, reference) {
        const { name, tag } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseImageReference */ .o)(reference);
        try {
            await this.docker.getImage(id).tag({ repo: name, tag: tag ?? 'latest' });
        }
        catch (error) {
            throw new Error(`Cannot tag ${id} as ${reference}: ${describe(error)}`, { cause: error });
        }
    }
    /**
     * Applies run config changes to a built image without a new layer: `docker commit` of an
     * unchanged container records an empty layer in the history only.
     */
    async recommit(imageId, changes, comment) {
        let container;
        try {
            container = await this.docker.createContainer({ Image: imageId });
            const { Id } = (await container.commit({ changes, comment }));
            return Id;
        }
        catch (error) {
            throw new Error(`Cannot apply ${changes.join('; ')} to ${imageId}: ${describe(error)}`, {
                cause: error,
            });
        }
        finally {
            await container?.remove({ force: true }).catch(() => undefined);
        }
    }
    /** Removes one tag of an image, never the image that other names still hold. */
    async untag(reference) {
        try {
            await this.docker.getImage(reference).remove({ noprune: true });
        }
        catch (error) {
            throw new Error(`Cannot remove the tag ${reference}: ${describe(error)}`, { cause: error });
        }
    }
    /** Removes a container if it exists; true when there was one. */
    async removeContainer(name) {
        try {
            await this.docker.getContainer(name).remove({ force: true, v: true });
            return true;
        }
        catch (error) {
            const status = statusCode(error);
            // 404: gone already; 409: the engine is removing it right now.
            if (status === 404 || status === 409)
                return false;
            throw new Error(`Cannot remove container ${name}: ${describe(error)}`, { cause: error });
        }
    }
    /**
     * The images as `docker save` writes them, streamed as the engine sends it: a name that is a
     * tag becomes a RepoTag of the archive, an image ID gives none.
     */
    async saveImages(names) {
        // @types/dockerode lacks getImages (GET /images/get?names=…), the call that saves several.
        const docker = this.docker;
        try {
            return await docker.getImages({ names });
        }
        catch (error) {
            throw new Error(`Cannot save ${names.join(', ')} from the engine: ${describe(error)}`, {
                cause: error,
            });
        }
    }
    /**
     * What a command prints in a throwaway container of an image whose code is not trusted: no
     * network, no capabilities, no new privileges, a bound on processes and memory; at most
     * `limit` bytes of output and `timeoutMs` to finish. The container is removed afterwards.
     */
    async runIsolated(image, command, limit, timeoutMs) {
        let container;
        try {
            container = await this.docker.createContainer({
                Image: image,
                Entrypoint: command.slice(0, 1),
                Cmd: command.slice(1),
                User: '0:0',
                WorkingDir: '/',
                NetworkDisabled: true,
                HostConfig: {
                    NetworkMode: 'none',
                    CapDrop: ['ALL'],
                    SecurityOpt: ['no-new-privileges'],
                    PidsLimit: 64,
                    Memory: 512 * 1024 * 1024,
                },
            });
            const stream = await container.attach({ stream: true, stdout: true, stderr: true });
            const stdout = new Capped(limit);
            const stderr = new Capped(2000);
            const ended = new Promise((resolve) => stream.on('end', resolve));
            this.docker.modem.demuxStream(stream, stdout, stderr);
            await container.start();
            const { StatusCode } = (await container.wait({
                abortSignal: AbortSignal.timeout(timeoutMs),
            }));
            await ended;
            if (stdout.over)
                throw new Error(`it printed more than ${limit} bytes`);
            if (StatusCode !== 0)
                throw new Error(`exit status ${StatusCode}: ${stderr.text().trim()}`);
            return stdout.text();
        }
        catch (error) {
            const reason = error.name === 'AbortError' || error.name === 'TimeoutError'
                ? `it did not finish within ${timeoutMs / 1000} s`
                : describe(error);
            throw new Error(`Cannot run ${command[0]} in a container of ${image}: ${reason}`, {
                cause: error,
            });
        }
        finally {
            await container?.remove({ force: true }).catch(() => undefined);
        }
    }
    /**
     * Commits a container by name as an image under a local reference, with `docker commit
     * --change` lines; the container is paused meanwhile, so that what runs in it cannot change
     * the files half-way.
     */
    async commitContainer(name, reference, changes, comment) {
        const { name: repo, tag } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseImageReference */ .o)(reference);
        try {
            const committed = (await this.docker
                .getContainer(name)
                .commit({ repo, tag: tag ?? 'latest', changes, comment, pause: true }));
            return committed.Id;
        }
        catch (error) {
            throw new Error(`Cannot commit container ${name} as ${reference}: ${describe(error)}`, {
                cause: error,
            });
        }
    }
}
/** Keeps the first `limit` bytes written to it, and whether there were more. */
class Capped extends node_stream__WEBPACK_IMPORTED_MODULE_1__.Writable {
    limit;
    chunks = [];
    length = 0;
    over = false;
    constructor(limit) {
        super();
        this.limit = limit;
    }
    _write(chunk, _encoding, done) {
        const room = this.limit - this.length;
        if (chunk.length > room)
            this.over = true;
        if (room > 0)
            this.chunks.push(chunk.subarray(0, room));
        this.length += Math.min(room, chunk.length);
        done();
    }
    text() {
        return Buffer.concat(this.chunks).toString('utf8');
    }
}
/** Which of the usual reasons keeps us from the engine, and what to do about it. */
function unreachable(error) {
    switch (error.code) {
        case 'ENOENT':
            return 'there is no socket there. Start the Docker engine, or set DOCKER_HOST to where it listens.';
        case 'EACCES':
            return 'permission denied on the socket. Run as a user in the docker group, or as root.';
        case 'ECONNREFUSED':
            return 'the connection was refused. Start the engine, or check the port in DOCKER_HOST.';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return "DOCKER_HOST's host name does not resolve. Check DOCKER_HOST.";
        default:
            return `${describe(error)}. Check that the Docker engine is running and DOCKER_HOST points at it.`;
    }
}
function statusCode(error) {
    return error.statusCode;
}
/** The engine's own message when it sent one, else the error's. */
function describe(error) {
    const json = error.json;
    if (json?.message)
        return json.message;
    const code = error.code;
    // docker-modem ends a request that timed out by destroying it, which reads as a hang-up.
    if (code === 'ECONNRESET')
        return `the engine sent nothing for ${IDLE_TIMEOUT_MS / 1000} s, or closed the connection`;
    const text = error instanceof Error ? error.message : String(error);
    return code && !text.includes(code) ? `${code}: ${text}` : text;
}


/***/ }),

/***/ 98286:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ parseImageReference),
/* harmony export */   s: () => (/* binding */ TAG_MAX)
/* harmony export */ });
const NAME_MAX = 255;
const TAG_MAX = 128;
const isLowerAlnum = (c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
const isAlnum = (c) => isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
const isWord = (c) => isAlnum(c) || c === '_';
const isHex = (c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
/** Throws with the rule that the reference breaks. */
function parseImageReference(reference) {
    if (reference === '')
        throw new Error('must not be empty');
    if (/\s/.test(reference))
        throw new Error('must not contain white space');
    let rest = reference;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        checkDigest(digest);
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        checkTag(tag);
    }
    checkName(rest);
    return { name: rest, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}
function checkTag(tag) {
    if (tag.length === 0 || tag.length > TAG_MAX)
        throw new Error(`tag must have 1 to ${TAG_MAX} characters`);
    if (!isWord(tag[0]) || ![...tag].every((c) => isWord(c) || c === '.' || c === '-'))
        throw new Error(`tag "${tag}" must start with a letter, digit or _ and contain only letters, digits, _ . -`);
}
function checkDigest(digest) {
    const colon = digest.indexOf(':');
    const algorithm = digest.slice(0, colon);
    const hex = digest.slice(colon + 1);
    const algorithmOk = colon > 0 && algorithm.split(/[-_+.]/).every((part) => /^[A-Za-z][A-Za-z0-9]*$/.test(part));
    if (!algorithmOk || hex.length < 32 || ![...hex].every(isHex))
        throw new Error('digest must be algorithm:hex with at least 32 hex digits');
    if (algorithm === 'sha256' && !/^[0-9a-f]{64}$/.test(hex))
        throw new Error('a sha256 digest must have exactly 64 lower-case hex digits');
}
function checkName(name) {
    if (name.length === 0)
        throw new Error('repository name must not be empty');
    if (name.length > NAME_MAX)
        throw new Error(`repository name must not be longer than ${NAME_MAX} characters`);
    const components = name.split('/');
    const first = components[0];
    // Docker's rule: a first component with a dot, a port, upper case, or `localhost` is a host.
    const hasDomain = components.length > 1 &&
        (first.includes('.') ||
            first.includes(':') ||
            first === 'localhost' ||
            first !== first.toLowerCase());
    if (hasDomain)
        checkDomain(components.shift());
    for (const component of components)
        checkPathComponent(component);
}
function checkDomain(domain) {
    let host = domain;
    const portAt = domain.startsWith('[') ? domain.indexOf(']:') + 1 : domain.lastIndexOf(':');
    if (portAt > 0) {
        const port = domain.slice(portAt + 1);
        host = domain.slice(0, portAt);
        if (!/^[0-9]{1,5}$/.test(port))
            throw new Error(`registry port "${port}" must be a number`);
    }
    if (host.startsWith('[')) {
        if (!host.endsWith(']') || !/^[0-9A-Fa-f:.]+$/.test(host.slice(1, -1)))
            throw new Error(`registry host "${host}" is not a valid IPv6 address`);
        return;
    }
    for (const label of host.split('.')) {
        const ok = label.length > 0 &&
            isAlnum(label[0]) &&
            isAlnum(label[label.length - 1]) &&
            [...label].every((c) => isAlnum(c) || c === '-');
        if (!ok)
            throw new Error(`registry host "${host}" must be dot-separated labels of letters, digits and inner hyphens`);
    }
}
/** alpha-numeric (separator alpha-numeric)*, separator being `.`, `_`, `__` or a run of `-`. */
function checkPathComponent(component) {
    const rule = `path component "${component}" must be lower-case letters and digits, separated by . _ __ or -`;
    if (component.length === 0)
        throw new Error('repository name must not have an empty path component');
    if ([...component].some((c) => c >= 'A' && c <= 'Z'))
        throw new Error(`repository name must be lower-case ("${component}")`);
    let i = 0;
    while (i < component.length) {
        if (!isLowerAlnum(component[i]))
            throw new Error(rule);
        while (i < component.length && isLowerAlnum(component[i]))
            i++;
        if (i === component.length)
            return;
        const start = i;
        if (component[i] === '-')
            while (component[i] === '-')
                i++;
        else if (component.startsWith('__', i))
            i += 2;
        else if (component[i] === '.' || component[i] === '_')
            i++;
        if (i === start || i === component.length)
            throw new Error(rule);
    }
}


/***/ })

};
