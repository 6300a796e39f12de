export const id = 181;
export const ids = [181,556];
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

/***/ 91181:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(73190);
;// CONCATENATED MODULE: ./src/redact.ts
/** Replaces every secret with ***, longest first so that no part of one survives. */
function redact(text, secrets) {
    return [...secrets]
        .sort((a, b) => b.length - a.length)
        .reduce((redacted, secret) => redacted.replaceAll(secret, '***'), text);
}
/**
 * Every form of a secret that logs could show: as it is, in base64, as Ansible and Packer
 * print it inside JSON strings (quotes and backslashes escaped, non-ASCII as \\u escapes or
 * not), and each of its lines alone.
 */
function secretForms(value) {
    const json = (text) => JSON.stringify(text).slice(1, -1);
    const ascii = (text) => json(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const lines = value.split(/\r?\n/).filter((line) => line.trim().length >= 3);
    const forms = [value, Buffer.from(value).toString('base64'), json(value), ascii(value)];
    for (const line of lines)
        forms.push(line, json(line), ascii(line));
    return [...new Set(forms)].filter((form) => form.length >= 3 || form === value);
}

;// CONCATENATED MODULE: ./src/packer/log.ts




/** How many of the last lines a build keeps, to find Packer's errors in. */
const KEPT_LINES = 1000;
/** The steps of one Packer build, in the order Packer runs them for our template. */
const STAGES = {
    containerStart: 'Start the build container',
    containerSetup: 'Prepare the container (Python)',
    playbook: 'Run the playbook',
    containerCleanup: 'Clean up the container',
    commit: 'Commit the image',
};
const MARKED_STAGES = ['containerSetup', 'playbook', 'containerCleanup'];
/**
 * Tells the stages of one build apart: Packer's own steps by Packer's lines, ours by a marker
 * line that each of our provisioners prints first. The marker holds a nonce of this run, so
 * no output of the playbook or the image can start a stage.
 */
class StageMarkers {
    prefix = `ansible-image-stage-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}: `;
    marker(stage) {
        return `${this.prefix}${stage}`;
    }
    /** The stage that a line of Packer's output starts, if any. */
    stageStartedBy(line) {
        if (line.includes('Starting docker container'))
            return 'containerStart';
        if (line.includes('Committing the container'))
            return 'commit';
        const at = line.indexOf(this.prefix);
        if (at < 0)
            return undefined;
        const stage = line.slice(at + this.prefix.length).trim();
        return MARKED_STAGES.includes(stage) ? stage : undefined;
    }
}
/**
 * Prints what another program wrote (Packer, ansible-galaxy; the playbook and the image behind
 * them) with workflow command processing stopped: `::add-mask::`, `::set-output` or `::error::`
 * in that output come from them, not from us. Secrets are printed as ***.
 *
 * Builds of several platforms stream at the same time: processing stops with the first
 * output that opens and resumes only when the last one ends, since the runner knows one
 * token at a time. Meanwhile our own group and warning lines show as plain text.
 */
class InertOutput {
    secrets;
    static open = 0;
    static token = '';
    constructor(secrets = []) {
        this.secrets = secrets;
        if (InertOutput.open++ > 0)
            return;
        InertOutput.token = (0,external_node_crypto_.randomBytes)(16).toString('hex');
        process.stdout.write(`::stop-commands::${InertOutput.token}\n`);
    }
    /** The line as printed. */
    line(line) {
        const text = redact(line, this.secrets);
        process.stdout.write(`${text}\n`);
        return text;
    }
    /** Resumes command processing, under a token that the output could not know. */
    end() {
        if (--InertOutput.open > 0)
            return;
        process.stdout.write(`::${InertOutput.token}::\n`);
    }
}
/**
 * Shows Packer's output in one collapsible group per stage, as it comes, and times the
 * stages. Command processing is stopped while it streams (see InertOutput), and resumed only
 * to open the next group.
 */
class BuildLog {
    markers;
    secrets;
    stage;
    /** The stage that ran last: where a failed build stopped. */
    lastStage;
    started = 0;
    output;
    durations = {};
    /** The last lines, for the error report: the whole log is the runner's, not ours to keep. */
    last = new exec/* LastLines */.UR(KEPT_LINES);
    /** `secrets`: values to print as *** (the runner masks them too; local runs have no runner). */
    constructor(title, markers, secrets = []) {
        this.markers = markers;
        this.secrets = secrets;
        this.open(title);
    }
    line(line) {
        const stage = this.markers.stageStartedBy(line);
        if (stage) {
            this.end();
            this.stage = stage;
            this.lastStage = stage;
            this.started = performance.now();
            this.open(STAGES[stage]);
        }
        this.last.add(this.output.line(line));
    }
    /** Resumes command processing and closes the open group. */
    end() {
        if (!this.output)
            return;
        this.output.end();
        this.output = undefined;
        core/* endGroup */.N4();
        if (this.stage)
            this.durations[this.stage] = Math.round(performance.now() - this.started) / 1000;
        this.stage = undefined;
    }
    open(title) {
        core/* startGroup */.Oh(title);
        this.output = new InertOutput(this.secrets);
    }
}

;// CONCATENATED MODULE: ./src/ansible/galaxy.ts





/** Installs the roles and collections of a requirements file into the run's private folder. */
async function installRequirements(galaxy, requirementsFile, runDirectory) {
    const document = (0,dist/* parseDocument */.Tp)(await (0,promises_.readFile)(requirementsFile, 'utf8'));
    const contents = document.contents;
    const hasRoles = (0,dist/* isSeq */.oP)(contents) || ((0,dist/* isMap */.jh)(contents) && contents.has('roles'));
    const hasCollections = (0,dist/* isMap */.jh)(contents) && contents.has('collections');
    const roles = external_node_path_default().join(runDirectory, 'roles');
    const collections = external_node_path_default().join(runDirectory, 'collections');
    const installed = {};
    if (hasRoles) {
        await galaxyInstall(galaxy, ['role', 'install', '-r', requirementsFile, '-p', roles]);
        installed.rolesPath = roles;
    }
    if (hasCollections) {
        await galaxyInstall(galaxy, [
            'collection',
            'install',
            '-r',
            requirementsFile,
            '-p',
            collections,
        ]);
        installed.collectionsPath = collections;
    }
    return installed;
}
/** Galaxy servers and what they serve are not ours: a bound on the time, the output inert. */
const GALAXY_TIMEOUT_SECONDS = 600;
async function galaxyInstall(galaxy, args) {
    const what = `ansible-galaxy ${args.slice(0, 2).join(' ')}`;
    const output = new InertOutput();
    const last = new exec/* LastLines */.UR(10);
    let result;
    try {
        result = await (0,exec/* runCancellable */.o1)(galaxy, args, {
            timeoutSeconds: GALAXY_TIMEOUT_SECONDS,
            onLine: (line) => last.add(output.line(line)),
        });
    }
    finally {
        output.end();
    }
    if (result.timedOut)
        throw new Error(`${what} did not finish within ${GALAXY_TIMEOUT_SECONDS} s`);
    if (result.exitCode !== 0)
        throw new Error(`${what} failed (exit ${result.exitCode}): ${last.text.trim()}`);
}

// EXTERNAL MODULE: ./src/assets.ts
var assets = __webpack_require__(25462);
;// CONCATENATED MODULE: ./src/executor/executor.ts





/**
 * The runner's half of the executor: the server (executor.py) that the container script starts
 * in the build container, and the connection plugins that reach it (connection/). Python cannot
 * import these names: protocol.py spells them again, and __tests__/executor-names.test.ts holds
 * the two equal.
 */
/**
 * Inside Packer's folder (PACKER_CONTAINER_DIR), so that the mount point is made on the runner's
 * side of that mount and not in the container's filesystem, where it would stay in the image.
 */
const EXECUTOR_MOUNT = '/packer-files/ansible-image';
/** The executor's socket in that folder, whichever side looks at it. */
const EXECUTOR_SOCKET = 'executor.sock';
/**
 * The executor's socket on the runner's side of the mount, in Ansible's environment: the
 * wrapper looks for it there, and so does the connection plugin.
 */
const EXECUTOR_SOCKET_VARIABLE = 'ANSIBLE_IMAGE_EXECUTOR_SOCKET';
/** Names the executor's token in every environment it passes through. */
const EXECUTOR_TOKEN_VARIABLE = 'ANSIBLE_IMAGE_EXECUTOR_TOKEN';
/** The connection plugins' names: through the executor, or else `docker exec` per command. */
const EXECUTOR_CONNECTION = 'ansible_image_executor';
const DOCKER_CONNECTION = 'ansible_image_docker';
/** The server, which the container script starts from the folder at EXECUTOR_MOUNT. */
const SERVER = 'executor.py';
/** What the server needs in that folder. */
const SERVER_FILES = [SERVER, 'protocol.py'];
/** Ansible's folder of connection plugins. */
const connectionPlugins = () => (0,assets/* assetPath */.Q)('executor', 'connection');
/** Puts the server into the runner's folder that the container sees at EXECUTOR_MOUNT. */
async function copyServer(folder) {
    for (const file of SERVER_FILES)
        await (0,promises_.copyFile)((0,assets/* assetPath */.Q)('executor', file), external_node_path_default().join(folder, file));
}
/** The secret the executor serves requests for: a user made in the image may reach its socket. */
function executorToken() {
    const token = (0,external_node_crypto_.randomBytes)(32).toString('hex');
    core/* setSecret */.Pq(token);
    return token;
}

// EXTERNAL MODULE: ./src/outside-python/cache.ts
var cache = __webpack_require__(72386);
;// CONCATENATED MODULE: ./src/shellwords.ts
/**
 * Splits a command-line string the way a POSIX shell splits words (quotes and backslashes,
 * no expansion), so that `ansible-args: --tags "web db" -v` means what it says in a terminal.
 */
function splitShellWords(input) {
    const words = [];
    let word = '';
    let inWord = false;
    let quote;
    for (let i = 0; i < input.length; i++) {
        const c = input[i];
        if (quote === "'") {
            if (c === "'")
                quote = undefined;
            else
                word += c;
        }
        else if (quote === '"') {
            if (c === '"')
                quote = undefined;
            else if (c === '\\' && input[i + 1] === '\n')
                i++;
            else if (c === '\\' && i + 1 < input.length && '"\\$`'.includes(input[i + 1]))
                word += input[++i];
            else
                word += c;
        }
        else if (c === "'" || c === '"') {
            quote = c;
            inWord = true;
        }
        else if (c === '\\') {
            // A backslash-newline joins lines; a trailing backslash stays, as in sh.
            if (input[i + 1] === '\n')
                i++;
            else {
                word += i + 1 < input.length ? input[++i] : c;
                inWord = true;
            }
        }
        else if (c === ' ' || c === '\t' || c === '\n') {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
        }
        else {
            word += c;
            inWord = true;
        }
    }
    if (quote)
        throw new Error(`unterminated ${quote} quote`);
    if (inWord)
        words.push(word);
    return words;
}
/** Quotes a word for /bin/sh so that it reaches the program byte for byte. */
function shellQuote(word) {
    return `'${word.replaceAll("'", `'\\''`)}'`;
}

;// CONCATENATED MODULE: ./src/ansible/command.ts



/**
 * Packer's ansible provisioner renders `extra_arguments` as a Go template twice, so no value
 * could pass through it unchanged. It runs this wrapper as its `command` instead, which
 * appends our arguments, quoted for the shell, after the ones Packer passes.
 */
function ansibleWrapperScript(o) {
    const args = [
        ...['-e', `ansible_host=${o.containerName}`],
        ...['-e', 'ansible_user=root'],
        ...o.varsFiles.flatMap((file) => ['-e', `@${file}`]),
        ...(o.vaultPasswordFile ? ['--vault-password-file', o.vaultPasswordFile] : []),
        ...o.userArguments,
    ];
    // Packer runs `--version` before the build to check Ansible; answering it here saves
    // starting Ansible once more (about 0.4 s).
    const version = shellQuote(`ansible-playbook [core ${o.ansibleVersion}]`);
    return [
        '#!/bin/sh',
        `if [ "$#" -eq 1 ] && [ "$1" = --version ]; then echo ${version}; exit 0; fi`,
        `echo ${shellQuote(o.stageMarker)}`,
        // Never Packer's SSH proxy: the executor in the container when it runs, or else (no
        // Python 3 in the image, or an engine on another machine) `docker exec` per command.
        // A link there is the container's doing: the plugin checks the socket's peer as well.
        `if [ -S "$${EXECUTOR_SOCKET_VARIABLE}" ] && [ ! -L "$${EXECUTOR_SOCKET_VARIABLE}" ]; then`,
        `  connection=${EXECUTOR_CONNECTION}`,
        'else',
        `  connection=${DOCKER_CONNECTION}`,
        '  echo "The executor is not running in the container: tasks go through docker exec" >&2',
        'fi',
        // The Python that the container script keeps outside the image, unless the user chose one.
        ...(o.outsidePython
            ? [
                `python_file="\${${EXECUTOR_SOCKET_VARIABLE}%/*}/${cache/* OUTSIDE_PYTHON_FILE */.St}"`,
                'case "$ANSIBLE_PYTHON_INTERPRETER" in auto*)',
                '  if [ -f "$python_file" ] && [ ! -L "$python_file" ]; then',
                `    export ANSIBLE_PYTHON_INTERPRETER=${shellQuote(o.outsidePython)}`,
                // A module whose shebang names python3, not python, looks for this variable instead.
                '    set -- "$@" -e "ansible_python3_interpreter=$ANSIBLE_PYTHON_INTERPRETER"',
                '  fi',
                'esac',
            ]
            : []),
        `exec ${shellQuote(o.ansiblePlaybook)} "$@" -e "ansible_connection=$connection" ${args.map(shellQuote).join(' ')}`,
        '',
    ].join('\n');
}
/** The host-side command that runs our container script through `docker exec`. */
function containerScriptCommand(containerName, script, args) {
    return [
        'docker',
        'exec',
        '-i',
        // As root whatever the image's USER: preparing installs packages.
        '--user',
        '0',
        // The executor's token, from our environment: never on a command line.
        '--env',
        EXECUTOR_TOKEN_VARIABLE,
        containerName,
        '/bin/sh',
        '-s',
        '--',
        ...args,
    ]
        .map(shellQuote)
        .join(' ')
        .concat(` < ${shellQuote(script)}`);
}

;// CONCATENATED MODULE: ./src/ansible/vars.ts
/**
 * Extra vars as a JSON vars file in which every string is `{"__ansible_unsafe": "…"}`, the form
 * that Ansible's JSON decoder reads as unsafe text (2.14 and 2.19 alike): Ansible then uses
 * them as data and never renders `{{ ... }}` inside them, so they arrive exactly as given.
 * Not YAML's `!unsafe`: ansible-core 2.19 resolves a tagged scalar again as a plain one, so
 * `!unsafe "no"` became false there.
 */
function unsafeVarsFile(vars) {
    return `${unsafeJson(vars)}\n`;
}
function unsafeJson(value) {
    if (typeof value === 'string')
        return `{"__ansible_unsafe":${JSON.stringify(value)}}`;
    // Python's JSON decoder reads these words, which JSON.stringify would turn into null.
    if (typeof value === 'number' && !Number.isFinite(value))
        return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    if (Array.isArray(value))
        return `[${value.map(unsafeJson).join(',')}]`;
    if (value !== null && typeof value === 'object')
        return `{${Object.entries(value)
            .map(([key, item]) => `${JSON.stringify(key)}:${unsafeJson(item)}`)
            .join(',')}}`;
    return JSON.stringify(value ?? null);
}

;// CONCATENATED MODULE: ./src/changes.ts
/**
 * The Dockerfile instructions that `docker commit --change` applies to the committed image,
 * and the ones we add so that the image keeps the base image's run configuration.
 */
const COMMIT_INSTRUCTIONS = [
    'CMD',
    'ENTRYPOINT',
    'ENV',
    'EXPOSE',
    'LABEL',
    'ONBUILD',
    'USER',
    'VOLUME',
    'WORKDIR',
];
/** The base image's ENTRYPOINT and CMD, as its config gives them (a string is one word). */
function baseRunConfig(config = {}) {
    const list = (value) => typeof value === 'string' ? [value] : (value ?? null);
    return { entrypoint: list(config.Entrypoint), cmd: list(config.Cmd) };
}
const EXEC_FORM = new Set(['CMD', 'ENTRYPOINT', 'VOLUME']);
/** Parses one `changes` line; throws with the rule it breaks. */
function parseChange(line) {
    const match = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(line);
    if (!match)
        throw new Error('must not be empty');
    const instruction = match[1].toUpperCase();
    const value = match[2] ?? '';
    if (!COMMIT_INSTRUCTIONS.includes(instruction))
        throw new Error(`"${match[1]}" is not an instruction that docker commit accepts (${COMMIT_INSTRUCTIONS.join(', ')})`);
    if (value === '')
        throw new Error(`${instruction} needs a value`);
    if (value.endsWith('\\'))
        throw new Error(`${instruction}: line continuations are not supported, one instruction per line`);
    const change = { instruction: instruction, value };
    if (EXEC_FORM.has(change.instruction) && value.startsWith('['))
        parseJsonArray(change);
    return change;
}
function parseJsonArray(change) {
    let parsed;
    try {
        parsed = JSON.parse(change.value);
    }
    catch (error) {
        throw new Error(`${change.instruction}: the JSON array form does not parse`, { cause: error });
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string'))
        throw new Error(`${change.instruction}: the JSON array form must hold only strings`);
    return parsed;
}
/**
 * Quotes a word for Docker's Dockerfile parser, which expands `$VAR` in LABEL and ENV values:
 * inside double quotes only \, " and $ are special, so escaping those keeps the value exact.
 */
function dockerQuote(value) {
    return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}
/**
 * Packer's build container runs with `--entrypoint=/bin/sh`, which `docker commit` would keep
 * and which drops the base image's CMD. Restore both unless the user sets them; like in a
 * Dockerfile, a new ENTRYPOINT without a CMD clears the inherited CMD. Both are always stated:
 * Packer's docker plugin (1.0.9 and later, so every Packer from 1.10) appends the base image's
 * CMD or ENTRYPOINT at commit when no change line starts with that word, which would bring
 * back a CMD that the user's ENTRYPOINT cleared.
 */
function commitChanges(base, changes, labels) {
    const sets = (instruction) => changes.some((c) => c.instruction === instruction);
    const restored = [];
    // `ENTRYPOINT []` is ignored by docker commit; [""] is how to say "none". `CMD []` is.
    if (!sets('ENTRYPOINT'))
        restored.push(`ENTRYPOINT ${JSON.stringify(base.entrypoint?.length ? base.entrypoint : [''])}`);
    if (!sets('CMD'))
        restored.push(`CMD ${JSON.stringify(!sets('ENTRYPOINT') && base.cmd?.length ? base.cmd : [])}`);
    return [
        ...restored,
        ...labels.map(([key, value]) => `LABEL ${dockerQuote(key)}=${dockerQuote(value)}`),
        ...changes.map((c) => `${c.instruction} ${c.value}`),
    ];
}

// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
;// CONCATENATED MODULE: ./src/oci.ts

/** The org.opencontainers.image.* labels, for the facts that are known. */
function ociLabels(facts) {
    const labels = [
        ['org.opencontainers.image.created', facts.created.toISOString()],
        [
            'org.opencontainers.image.source',
            facts.serverUrl && facts.repository ? `${facts.serverUrl}/${facts.repository}` : undefined,
        ],
        ['org.opencontainers.image.revision', facts.revision],
        ['org.opencontainers.image.base.name', facts.baseName],
        ['org.opencontainers.image.base.digest', facts.baseDigest],
    ];
    return labels.filter((label) => Boolean(label[1]));
}
/** Labels of later lists win over earlier ones with the same key; order is kept otherwise. */
function mergeLabels(...lists) {
    const merged = new Map();
    for (const list of lists)
        for (const [key, value] of list)
            merged.set(key, value);
    return [...merged];
}
/** The digest part of the base image's RepoDigests entry for its own repository. */
function baseDigest(baseName, repoDigests) {
    const { name, digest } = (0,src_reference/* parseImageReference */.o)(baseName);
    if (digest)
        return digest;
    const entry = repoDigests?.find((d) => d.startsWith(`${name}@`)) ?? repoDigests?.[0];
    return entry?.split('@')[1];
}

;// CONCATENATED MODULE: ./src/packer/proxy-keys.ts

function proxyKeys() {
    const hostKey = (0,external_node_crypto_.generateKeyPairSync)('ed25519').privateKey.export({
        type: 'pkcs8',
        format: 'pem',
    });
    return { hostKey, authorizedKey: authorizedKeyLine((0,external_node_crypto_.generateKeyPairSync)('ed25519').publicKey) };
}
/** An Ed25519 public key in OpenSSH's wire format: two length-prefixed strings. */
function authorizedKeyLine(publicKey) {
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    // The SPKI encoding of an Ed25519 key ends with the 32 bytes of the key itself.
    const raw = spki.subarray(spki.length - 32);
    const sshString = (bytes) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        return Buffer.concat([length, bytes]);
    };
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
    return `ssh-ed25519 ${blob.toString('base64')}\n`;
}

;// CONCATENATED MODULE: ./src/packer/template.ts



/**
 * Packer's own shared folder in the container; its mount point stays in the image anyway. The
 * features' mounts lie inside it (EXECUTOR_MOUNT, PYTHON_MOUNT), as their tests check.
 */
const PACKER_CONTAINER_DIR = '/packer-files';
/**
 * PID 1 of the build container: Packer's `/bin/sh` never waits for the children it adopts, so a
 * daemon that the playbook stops would stay a zombie, and init scripts wait for it to go until
 * they give up. A shell that waits on its own `sleep` collects every adopted child along the
 * way (dash, bash and busybox wait for any child). It stays a shell, which Ansible's fact of
 * the service manager ignores as PID 1, as it must (see services/systemctl.py).
 */
const BUILD_CONTAINER_INIT = 'command -v sleep >/dev/null 2>&1 || exec /bin/sh; while :; do sleep 2147483 & wait $!; done';
/**
 * Packer reads every string twice: as an HCL template (`${`, `%{`) and, for most builder
 * options, as a Go template (`{{`). Values are escaped for both, so they arrive as written.
 */
function escapeHcl(value) {
    // A function replacer: in a replacement string, `$$` would mean a single `$`.
    return value.replace(/([$%])\{/g, (_, sigil) => `${sigil}${sigil}{`);
}
function escapeGoTemplate(value) {
    return value.replaceAll('{{', '{{"{{"}}');
}
function packerTemplate(o) {
    // Some options (extra_arguments, ansible_env_vars) are rendered as Go templates more than
    // once, which no escaping survives; so only `changes` may carry user text, and the rest
    // (our own paths and names) must not look like a template at all.
    for (const value of [
        o.baseImageId,
        o.containerName,
        o.network,
        o.commitMessage,
        o.playbook,
        o.ansibleCommand,
        o.prepareCommand,
        o.finishCommand,
        o.setupMarker,
        o.cleanupMarker,
        o.manifestPath,
        o.executorDirectory,
        o.pythonDirectory ?? '',
        o.proxyHostKeyFile,
        o.proxyAuthorizedKeyFile,
    ]) {
        if (/\{\{|\$\{|%\{/.test(value))
            throw new Error(`"${value}" contains {{, \${ or %{, which Packer would read as a template`);
    }
    const network = o.network ? ['--network', o.network] : [];
    return {
        source: {
            docker: {
                build: {
                    image: o.baseImageId,
                    pull: false,
                    commit: true,
                    container_dir: PACKER_CONTAINER_DIR,
                    volumes: {
                        [o.executorDirectory]: EXECUTOR_MOUNT,
                        // Read-only: builds run it as root, and none may change it for the next.
                        ...(o.pythonDirectory && { [o.pythonDirectory]: `${cache/* PYTHON_MOUNT */.Dl}:ro` }),
                    },
                    message: o.commitMessage,
                    changes: o.changes.map((change) => escapeHcl(escapeGoTemplate(change))),
                    // A known name lets Ansible connect with the Docker connection plugin instead of
                    // Packer's SSH proxy, which current OpenSSH refuses (it offers only ssh-rsa).
                    run_command: [
                        '-d',
                        '-i',
                        '-t',
                        '--name',
                        o.containerName,
                        ...network,
                        '--entrypoint=/bin/sh',
                        '--',
                        '{{.Image}}',
                        '-c',
                        BUILD_CONTAINER_INIT,
                    ],
                },
            },
        },
        build: {
            sources: ['source.docker.build'],
            provisioner: [
                { 'shell-local': { inline: [`echo ${shellQuote(o.setupMarker)}`, o.prepareCommand] } },
                {
                    ansible: {
                        command: o.ansibleCommand,
                        playbook_file: o.playbook,
                        user: 'root',
                        ssh_host_key_file: o.proxyHostKeyFile,
                        ssh_authorized_key_file: o.proxyAuthorizedKeyFile,
                    },
                },
                { 'shell-local': { inline: [`echo ${shellQuote(o.cleanupMarker)}`, o.finishCommand] } },
            ],
            'post-processor': [{ manifest: { output: o.manifestPath, strip_path: true } }],
        },
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/services/services.ts




/**
 * The runner's half of the build-time service manager (systemctl.py next to this file, which
 * the container script installs as the build container's `systemctl`): what it reports after
 * the playbook, and the image's run config that `cmd-from-service` derives from a service.
 */
/** The manager's file, copied into the folder that the container sees at EXECUTOR_MOUNT. */
const SERVICE_MANAGER = 'systemctl.py';
/** What the container writes into that folder before the commit. */
const REPORT_FILE = 'services.json';
const LEFTOVERS_FILE = 'leftovers';
/** The container writes these, so they are read with a bound (see readContainerFile). */
const REPORT_LIMIT = 1 << 20;
const MAX_ENTRIES = 200;
const MAX_TEXT = 4096;
const NO_SERVICES = { services: [], killed: [], leftovers: [] };
/**
 * Reads what the container reported into the shared folder. A process in the container can
 * replace those files with anything, links included: nothing is followed, nothing large is
 * read, and every value is checked for its type.
 */
async function readServicesReport(sharedDirectory) {
    const report = await readContainerFile(external_node_path_default().join(sharedDirectory, REPORT_FILE));
    const leftovers = await readContainerFile(external_node_path_default().join(sharedDirectory, LEFTOVERS_FILE));
    const parsed = report ? parseReport(report) : NO_SERVICES;
    return {
        ...parsed,
        leftovers: (leftovers ?? '').split('\n').filter(Boolean).slice(0, MAX_ENTRIES).map(clip),
    };
}
/** A regular file's content, or undefined if there is none; never through a link. */
async function readContainerFile(file) {
    const info = await (0,promises_.lstat)(file).catch(() => undefined);
    if (!info)
        return undefined;
    if (!info.isFile())
        throw new Error(`${file} is not a regular file: the build container made it`);
    const handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
    try {
        const buffer = Buffer.alloc(REPORT_LIMIT + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        if (bytesRead > REPORT_LIMIT)
            throw new Error(`${file} is larger than ${REPORT_LIMIT} bytes: the build container made it`);
        return buffer.subarray(0, bytesRead).toString('utf8');
    }
    finally {
        await handle.close();
    }
}
const clip = (text) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);
function parseReport(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new Error('The service report from the build container is not JSON', { cause: error });
    }
    const report = record(value, 'the report');
    const services = list(report.services, 'services').map((entry) => {
        const service = record(entry, 'a service');
        return {
            name: string(service.name, 'a service name'),
            state: string(service.state, 'a service state'),
            enabled: string(service.enabled, 'a service enabled state'),
        };
    });
    const runConfig = report.runConfig === undefined ? undefined : parseRunConfig(report.runConfig);
    return {
        services,
        killed: list(report.killed ?? [], 'killed').map((name) => string(name, 'a killed service')),
        ...(runConfig && { runConfig }),
        ...(report.error !== undefined && { error: string(report.error, 'the error') }),
    };
}
function parseRunConfig(value) {
    const config = record(value, 'the run config');
    const cmd = list(config.cmd, 'cmd').map((word) => string(word, 'a word of cmd'));
    if (!cmd.length)
        throw new Error('The service report holds an empty cmd');
    const env = record(config.env ?? {}, 'env');
    const optional = (item, what) => item === undefined || item === null ? undefined : string(item, what);
    const user = optional(config.user, 'user');
    const workdir = optional(config.workdir, 'workdir');
    return {
        service: string(config.service, 'service'),
        source: string(config.source, 'source'),
        cmd,
        ...(user && { user }),
        ...(workdir && { workdir }),
        env: Object.fromEntries(Object.entries(env).map(([key, item]) => [key, string(item, `env ${key}`)])),
        supervisor: config.supervisor === true,
    };
}
function record(value, what) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error(`The service report's ${what} is not an object`);
    return value;
}
function list(value, what) {
    if (!Array.isArray(value))
        throw new Error(`The service report's ${what} is not a list`);
    return value.slice(0, MAX_ENTRIES);
}
function string(value, what) {
    if (typeof value !== 'string')
        throw new Error(`The service report's ${what} is not a string`);
    return clip(value);
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `user` or `user:group`, by name or number, as USER takes them. */
const USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.][A-Za-z0-9_.-]*)?$/;
/** The variables that an ENV instruction sets, in either of its forms. */
function envNames(change) {
    const words = change.value.trim().split(/\s+/);
    if (!words[0].includes('='))
        return [words[0]];
    return [...change.value.matchAll(/(?:^|\s)([^\s=]+)=/g)].map((match) => match[1]);
}
/**
 * The `docker commit` changes that make the image run the service: CMD, with USER, WORKDIR
 * and ENV from its unit. What the user's own `changes` set wins; a new CMD replaces an
 * inherited ENTRYPOINT, which would otherwise receive it as arguments.
 */
function runConfigChanges(config, changes) {
    const sets = (instruction) => changes.some((change) => change.instruction === instruction);
    const userEnv = new Set(changes.filter((change) => change.instruction === 'ENV').flatMap(envNames));
    const result = [];
    const skipped = [];
    if (!sets('CMD')) {
        if (!sets('ENTRYPOINT'))
            result.push('ENTRYPOINT [""]');
        result.push(`CMD ${JSON.stringify(config.cmd)}`);
    }
    if (config.user && !sets('USER')) {
        if (!USER.test(config.user))
            throw new Error(`${config.service}: User "${config.user}" is not a user name`);
        result.push(`USER ${config.user}`);
    }
    if (config.workdir && !sets('WORKDIR')) {
        if (!external_node_path_default().posix.isAbsolute(config.workdir) || [...config.workdir].some((c) => c < ' '))
            throw new Error(`${config.service}: WorkingDirectory "${config.workdir}" is not an absolute path`);
        result.push(`WORKDIR ${config.workdir}`);
    }
    for (const [name, value] of Object.entries(config.env)) {
        if (userEnv.has(name))
            continue;
        // A Dockerfile line cannot hold a line break, and a name must be one word.
        if (!ENV_NAME.test(name) || /[\r\n]/.test(value))
            skipped.push(name);
        else
            result.push(`ENV ${name}=${dockerQuote(value)}`);
    }
    return { changes: result, skipped };
}

;// CONCATENATED MODULE: ./src/build-config.ts













function runFiles(directory) {
    return {
        template: external_node_path_default().join(directory, 'build.pkr.json'),
        manifest: external_node_path_default().join(directory, 'manifest.json'),
        events: external_node_path_default().join(directory, 'events.jsonl'),
        extraVars: external_node_path_default().join(directory, 'extra-vars.json'),
        secretVars: external_node_path_default().join(directory, 'secret-vars.json'),
        vaultPassword: external_node_path_default().join(directory, 'vault-password'),
        wrapper: external_node_path_default().join(directory, 'ansible-playbook'),
        packerTemp: external_node_path_default().join(directory, 'packer'),
        ansibleLocalTemp: external_node_path_default().join(directory, 'ansible-local'),
        executor: external_node_path_default().join(directory, 'executor'),
        proxyHostKey: external_node_path_default().join(directory, 'proxy-host-key'),
        proxyAuthorizedKey: external_node_path_default().join(directory, 'proxy-authorized-key'),
    };
}
/** Writes the run's files and returns what Packer runs with. */
async function writeBuildConfig(o) {
    try {
        await writeRunFiles(o);
        const template = JSON.stringify(packerTemplate(templateOptions(o)), null, 2);
        await (0,promises_.writeFile)(o.files.template, template);
        core/* debug */.Yz(`Packer template:\n${template}`);
        return { template, env: { ...ansibleEnv(o), ...packerEnv(o) } };
    }
    catch (error) {
        throw new Error(`Cannot write the build files to ${external_node_path_default().dirname(o.files.template)}: ${error.message}`, { cause: error });
    }
}
/** Our scratch folder inside the build container; the finish step removes it. */
const containerDirectory = (id) => `/tmp/.ansible-image-${id}`;
async function writeRunFiles({ inputs, ansible, files, containerName, python, markers, }) {
    // Secrets reach Ansible only as files that only we can read, named on its command line.
    const secretFile = (file, content) => (0,promises_.writeFile)(file, content, { mode: 0o600, flag: 'wx' });
    if (inputs.extraVars)
        await secretFile(files.extraVars, unsafeVarsFile(inputs.extraVars));
    if (inputs.secretVars)
        await secretFile(files.secretVars, unsafeVarsFile(inputs.secretVars));
    if (inputs.vaultPassword)
        await secretFile(files.vaultPassword, inputs.vaultPassword);
    await (0,promises_.mkdir)(files.packerTemp, { mode: 0o700 });
    await (0,promises_.mkdir)(files.ansibleLocalTemp, { mode: 0o700 });
    await (0,promises_.mkdir)(files.executor, { mode: 0o700 });
    await copyServer(files.executor);
    await (0,promises_.copyFile)((0,assets/* assetPath */.Q)(SERVICE_MANAGER), external_node_path_default().join(files.executor, SERVICE_MANAGER));
    const keys = proxyKeys();
    await secretFile(files.proxyHostKey, keys.hostKey);
    await (0,promises_.writeFile)(files.proxyAuthorizedKey, keys.authorizedKey);
    await (0,promises_.writeFile)(files.wrapper, ansibleWrapperScript({
        ansiblePlaybook: ansible.path,
        ansibleVersion: ansible.version,
        containerName,
        varsFiles: [
            ...(inputs.extraVars ? [files.extraVars] : []),
            ...(inputs.secretVars ? [files.secretVars] : []),
        ],
        ...(inputs.vaultPassword && { vaultPasswordFile: files.vaultPassword }),
        userArguments: inputs.ansibleArgs,
        stageMarker: markers.marker('playbook'),
        ...(python && { outsidePython: `${cache/* PYTHON_MOUNT */.Dl}/${cache/* PythonCache */.Nh.LAUNCHER}` }),
    }));
    await (0,promises_.chmod)(files.wrapper, 0o700);
    await python?.makeDirectory();
}
function templateOptions(o) {
    const { inputs, base, files, containerName, python } = o;
    const script = (0,assets/* assetPath */.Q)('container.sh');
    const scriptArgs = [
        inputs.python,
        containerDirectory(o.id),
        `${EXECUTOR_MOUNT}/${EXECUTOR_SOCKET}`,
        python ? cache/* PYTHON_MOUNT */.Dl : '',
        inputs.cmdFromService ?? '',
    ];
    const oci = inputs.ociLabels
        ? ociLabels({
            created: o.created,
            ...inputs.github,
            baseName: inputs.baseImage,
            baseDigest: baseDigest(inputs.baseImage, base.RepoDigests),
        })
        : [];
    return {
        baseImageId: base.Id,
        containerName,
        network: inputs.network,
        changes: commitChanges(baseRunConfig(base.Config), inputs.changes, mergeLabels(oci, inputs.labels, o.keyLabels)),
        commitMessage: `ansible-playbook ${external_node_path_default().relative(inputs.workspace, inputs.playbook)}`,
        playbook: inputs.playbook,
        ansibleCommand: files.wrapper,
        prepareCommand: containerScriptCommand(containerName, script, ['prepare', ...scriptArgs]),
        finishCommand: containerScriptCommand(containerName, script, ['finish', ...scriptArgs]),
        setupMarker: o.markers.marker('containerSetup'),
        cleanupMarker: o.markers.marker('containerCleanup'),
        manifestPath: files.manifest,
        executorDirectory: files.executor,
        ...(python && { pythonDirectory: python.directory }),
        proxyHostKeyFile: files.proxyHostKey,
        proxyAuthorizedKeyFile: files.proxyAuthorizedKey,
    };
}
/** Ansible settings for a container build; see README "Settings the action chooses". */
function ansibleEnv({ files, id, requirements }) {
    // Ours first, then what the user configured, or else Ansible's own defaults.
    const searchPath = (ours, variable, defaults) => {
        const first = ours.filter(Boolean);
        return first.length
            ? { [variable]: [...first, process.env[variable] ?? defaults].join(':') }
            : {};
    };
    return {
        ...searchPath([requirements.collectionsPath], 'ANSIBLE_COLLECTIONS_PATH', '~/.ansible/collections:/usr/share/ansible/collections'),
        ...searchPath([requirements.rolesPath], 'ANSIBLE_ROLES_PATH', '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles'),
        ...searchPath([(0,assets/* assetPath */.Q)('callback')], 'ANSIBLE_CALLBACK_PLUGINS', '~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback'),
        ...searchPath([connectionPlugins()], 'ANSIBLE_CONNECTION_PLUGINS', '~/.ansible/plugins/connection:/usr/share/ansible/plugins/connection'),
        [EXECUTOR_SOCKET_VARIABLE]: external_node_path_default().join(files.executor, EXECUTOR_SOCKET),
        // For the container script (through docker exec) and the connection plugin alike.
        [EXECUTOR_TOKEN_VARIABLE]: executorToken(),
        ANSIBLE_PIPELINING: 'True',
        ANSIBLE_REMOTE_TMP: `${containerDirectory(id)}/ansible`,
        // Async jobs' results, in the container, and what Ansible renders locally (a template's
        // content, secrets in it): both go with their folders, never into the image or past the run.
        ANSIBLE_ASYNC_DIR: `${containerDirectory(id)}/async`,
        ANSIBLE_LOCAL_TEMP: files.ansibleLocalTemp,
        ANSIBLE_IMAGE_ACTION_EVENTS: files.events,
        ANSIBLE_PYTHON_INTERPRETER: pythonInterpreter(),
        ANSIBLE_RETRY_FILES_ENABLED: 'False',
    };
}
/** Ansible's interpreter setting: the user's, or else discovery without its warning. */
const pythonInterpreter = () => process.env.ANSIBLE_PYTHON_INTERPRETER || 'auto_silent';
/** Packer's own temporary files go into the run's folder, so the post step finds them. */
function packerEnv({ files, packer }) {
    return {
        PACKER_TMP_DIR: files.packerTemp,
        TMPDIR: files.packerTemp,
        ...(packer.pluginPath && { PACKER_PLUGIN_PATH: packer.pluginPath }),
    };
}

// EXTERNAL MODULE: ./src/docker/engine.ts
var docker_engine = __webpack_require__(66556);
// EXTERNAL MODULE: ./src/retry.ts
var retry = __webpack_require__(49809);
;// CONCATENATED MODULE: ./src/docker/auth.ts






const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
/** Docker's rule: a first component with a dot, a port, upper case or `localhost` is a host. */
function splitHost(reference) {
    const { name } = (0,src_reference/* parseImageReference */.o)(reference);
    const slash = name.indexOf('/');
    const first = name.slice(0, slash);
    const hasHost = slash > 0 &&
        (first.includes('.') ||
            first.includes(':') ||
            first === 'localhost' ||
            first !== first.toLowerCase());
    return hasHost ? { host: first, path: name.slice(slash + 1) } : { path: name };
}
const isDockerHub = (host) => host === undefined || host === DOCKER_HUB || host === 'index.docker.io';
/** The registry host of a reference, as Docker decides it (Docker Hub when none is named). */
function registryOf(reference) {
    const { host } = splitHost(reference);
    return isDockerHub(host) ? DOCKER_HUB : host;
}
/** The repository inside its registry, with Docker Hub's `library/` for official images. */
function repositoryOf(reference) {
    const { host, path } = splitHost(reference);
    return isDockerHub(host) && !path.includes('/') ? `library/${path}` : path;
}
/** The keys under which `docker login` may have stored a registry's credentials. */
function configKeys(registry) {
    if (registry === DOCKER_HUB)
        return [DOCKER_HUB_KEY, 'index.docker.io', DOCKER_HUB, 'registry-1.docker.io'];
    return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`];
}
/**
 * Finds the credentials that `docker login` (or docker/login-action) stored for a registry:
 * a credential helper for it, the global credential store, or the `auths` entry.
 */
async function credentialsFor(registry) {
    const configDir = process.env.DOCKER_CONFIG || external_node_path_default().join(external_node_os_default().homedir(), '.docker');
    const configFile = external_node_path_default().join(configDir, 'config.json');
    let config;
    try {
        config = JSON.parse(await (0,promises_.readFile)(configFile, 'utf8'));
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new Error(`Cannot read Docker credentials from ${configFile}: ${error.message}`, {
            cause: error,
        });
    }
    const keys = configKeys(registry);
    const serveraddress = registry === DOCKER_HUB ? DOCKER_HUB_KEY : registry;
    const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean) ?? config.credsStore;
    if (helper) {
        const fromHelper = await fromCredentialHelper(helper, keys, serveraddress);
        if (fromHelper)
            return fromHelper;
    }
    const entry = keys.map((key) => config.auths?.[key]).find(Boolean);
    if (!entry)
        return undefined;
    if (entry.identitytoken)
        return { serveraddress, identitytoken: entry.identitytoken };
    if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0)
            throw new Error(`The stored credentials for ${registry} in ${configFile} are malformed`);
        return { serveraddress, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username && entry.password)
        return { serveraddress, username: entry.username, password: entry.password };
    return undefined;
}
/** A helper may ask a keychain or a network service; it must not hold the build forever. */
const HELPER_TIMEOUT_SECONDS = 30;
/** The docker-credential-HELPER protocol: the server URL on stdin, JSON on stdout. */
async function fromCredentialHelper(helper, keys, serveraddress) {
    for (const key of keys) {
        const stdout = [];
        const result = await (0,exec/* runCancellable */.o1)(`docker-credential-${helper}`, ['get'], {
            input: key,
            timeoutSeconds: HELPER_TIMEOUT_SECONDS,
            onLine: (line, stream) => (stream === 'stdout' ? stdout.push(line) : undefined),
        });
        if (result.timedOut)
            throw new Error(`docker-credential-${helper} did not answer within ${HELPER_TIMEOUT_SECONDS} s for ${key}`);
        if (result.exitCode !== 0)
            continue; // "credentials not found in native keychain"
        const { Username, Secret } = JSON.parse(stdout.join('\n'));
        // A helper returns an identity token with the user name "<token>".
        return Username === '<token>'
            ? { serveraddress, identitytoken: Secret }
            : { serveraddress, username: Username, password: Secret };
    }
    return undefined;
}
/** Every form in which these credentials could show up in a log. */
function credentialForms(auth) {
    const header = JSON.stringify(auth);
    const forms = [
        ...[auth.password, auth.identitytoken].flatMap((secret) => (secret ? secretForms(secret) : [])),
        auth.username && auth.password
            ? Buffer.from(`${auth.username}:${auth.password}`).toString('base64')
            : undefined,
        Buffer.from(header).toString('base64'),
        Buffer.from(header).toString('base64url'),
    ];
    return forms.filter((form) => Boolean(form));
}

;// CONCATENATED MODULE: ./src/docker/registry.ts



const INDEX_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
];
const IMAGE_TYPES = [
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
];
const MANIFEST_TYPES = [...INDEX_TYPES, ...IMAGE_TYPES].join(', ');
/** No request may hold the build: a cache lookup that hangs is worse than a build. */
const REQUEST_TIMEOUT_MS = 10_000;
/** OAuth2 grants require a client_id; Docker sends its own ("docker"), we send ours. */
const CLIENT_ID = 'ansible-image-action';
/** Docker talks plain HTTP to registries on the loopback, as it does by default. */
function baseUrl(registry) {
    if (registry === 'docker.io')
        return 'https://registry-1.docker.io';
    const host = registry.replace(/:\d+$/, '');
    const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
    return `${loopback ? 'http' : 'https'}://${registry}`;
}
/** Where the registry API answers for a reference's manifest: by digest, else by tag. */
function manifestUrl(reference) {
    const { tag, digest } = (0,src_reference/* parseImageReference */.o)(reference);
    return `${repositoryUrl(reference)}/manifests/${digest ?? tag ?? 'latest'}`;
}
const repositoryUrl = (reference) => `${baseUrl(registryOf(reference))}/v2/${repositoryOf(reference)}`;
const sha256 = (bytes) => `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
function basic(auth) {
    return auth?.username && auth.password
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
        : undefined;
}
/** A request whose network failure names what it tried to reach, not just "fetch failed". */
async function reach(what, url, { timeoutMs = REQUEST_TIMEOUT_MS, ...init }) {
    try {
        return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    }
    catch (error) {
        const reason = error.name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : (error.cause?.message ?? error.message);
        throw new Error(`Cannot reach ${what}: ${reason}`, { cause: error });
    }
}
const ask = (registry, realm, init) => reach(`the token service of ${registry} at ${realm.origin}`, realm, init);
const tokenService = (registry, realm) => `The token service of ${registry} (${realm.origin}${realm.pathname})`;
/** The token of a token service's answer; its body is never quoted, as it may echo a secret. */
async function tokenOf(registry, realm, response) {
    if (!response.ok)
        throw new Error(`${tokenService(registry, realm)} refused a token: HTTP ${response.status}`);
    let body;
    try {
        body = (await response.json());
    }
    catch (error) {
        throw new Error(`${tokenService(registry, realm)} answered without JSON`, { cause: error });
    }
    const token = body.access_token || body.token;
    if (!token)
        throw new Error(`${tokenService(registry, realm)} answered without a token`);
    return token;
}
/**
 * An identity token is an OAuth2 refresh token (distribution's spec/auth/oauth.md): it goes only
 * in the form body of a POST to the realm, as Docker sends it, never in a URL or a header.
 */
async function refreshTokenGrant(registry, realm, params, identitytoken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identitytoken });
    for (const key of ['service', 'scope'])
        if (params[key])
            form.set(key, params[key]);
    form.set('client_id', CLIENT_ID);
    const response = await ask(registry, realm, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
    });
    // A token service without OAuth2 answers 404 to POST; its GET flow only knows passwords.
    if (response.status === 404)
        throw new Error(`${tokenService(registry, realm)} does not support OAuth2 (HTTP 404 for POST), which the stored identity token needs: log in with a user name and password instead`);
    return tokenOf(registry, realm, response);
}
/** The GET flow of distribution's spec/auth/token.md, with Basic auth when there is a password. */
async function basicTokenGrant(registry, realm, params, auth) {
    const url = new URL(realm);
    if (params.service)
        url.searchParams.set('service', params.service);
    // A challenge for a cross-repository mount names two scopes, space-separated; the GET flow
    // takes each as a parameter of its own.
    for (const scope of params.scope?.split(' ').filter(Boolean) ?? [])
        url.searchParams.append('scope', scope);
    const credentials = basic(auth);
    if (credentials)
        url.searchParams.set('account', auth?.username);
    const response = await ask(registry, url, credentials ? { headers: { Authorization: credentials } } : {});
    return tokenOf(registry, realm, response);
}
/** The Authorization header that answers a 401's WWW-Authenticate challenge. */
async function authorization(registry, challenge, auth) {
    if (/^Basic/i.test(challenge))
        return basic(auth);
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]));
    if (!params.realm)
        return undefined;
    let realm;
    try {
        realm = new URL(params.realm);
    }
    catch (error) {
        throw new Error(`The token realm of ${registry} is not a URL: ${params.realm}`, {
            cause: error,
        });
    }
    const token = auth?.identitytoken
        ? await refreshTokenGrant(registry, realm, params, auth.identitytoken)
        : await basicTokenGrant(registry, realm, params, auth);
    return `Bearer ${token}`;
}
/**
 * Requests to one registry with one set of credentials. A 401 is answered from its challenge,
 * and the header obtained serves the call's later requests, which need the same scope: one
 * token grant per call rather than one per request.
 */
function session(registry, auth) {
    let header;
    return async (url, init = {}) => {
        const send = () => reach(`the registry ${registry}`, url, {
            ...init,
            headers: {
                ...init.headers,
                ...(header && { Authorization: header }),
            },
        });
        let response = await send();
        const challenge = response.headers.get('www-authenticate');
        if (response.status === 401 && challenge) {
            await response.body?.cancel();
            header = await authorization(registry, challenge, auth);
            response = await send();
        }
        return response;
    };
}
/** A refused request; its status and codes let a caller answer some refusals by another way. */
class Refusal extends Error {
    status;
    codes;
    constructor(message, status, codes) {
        super(message);
        this.status = status;
        this.codes = codes;
    }
}
/**
 * An error for a refused request, with the registry's error codes (MANIFEST_BLOB_UNKNOWN,
 * DENIED…) but not its messages, which may quote the request.
 */
async function refused(what, response) {
    let codes = [];
    try {
        const body = (await response.json());
        codes = (body.errors ?? [])
            .map((error) => error.code)
            .filter((code) => typeof code === 'string' && /^[A-Z_]+$/.test(code));
    }
    catch {
        // no JSON: the status says it all
    }
    return new Refusal(`${what}: HTTP ${response.status}${codes.length ? ` (${codes.join(', ')})` : ''}`, response.status, codes);
}
/** The manifest digest that the registry itself reports for a tag (Docker-Content-Digest). */
async function registryDigest(reference, auth) {
    const response = await session(registryOf(reference), auth)(manifestUrl(reference), {
        method: 'HEAD',
        headers: { Accept: MANIFEST_TYPES },
    });
    const digest = response.headers.get('docker-content-digest');
    if (!response.ok || !digest)
        throw new Error(`The registry did not confirm ${reference}: HTTP ${response.status}`);
    return digest;
}
function descriptors(reference, manifest) {
    let parsed;
    try {
        parsed = JSON.parse(manifest.toString('utf8'));
    }
    catch (error) {
        throw new Error(`The manifest of ${reference} is not JSON`, { cause: error });
    }
    if (typeof parsed.config?.digest !== 'string' || !Array.isArray(parsed.layers))
        throw new Error(`The manifest of ${reference} names no config or no layers`);
    return { config: parsed.config, layers: parsed.layers };
}
/**
 * A manifest straight from the registry, checked against its digest (and against the
 * reference's, when it names one); undefined when the registry has none (404). `refuse` says
 * why the caller cannot take a media type, before anything more is read.
 */
async function readManifest(reference, send, refuse) {
    const registry = registryOf(reference);
    const response = await send(manifestUrl(reference), { headers: { Accept: MANIFEST_TYPES } });
    if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
    }
    if (!response.ok)
        throw await refused(`Cannot read ${reference} from ${registry}`, response);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const refusal = refuse(mediaType);
    if (refusal) {
        await response.body?.cancel();
        throw new Error(refusal);
    }
    const manifest = Buffer.from(await response.arrayBuffer());
    const digest = response.headers.get('docker-content-digest');
    const pinned = (0,src_reference/* parseImageReference */.o)(reference).digest;
    if (digest !== sha256(manifest) || (pinned && pinned !== digest))
        throw new Error(`The manifest of ${reference} from ${registry} does not match its digest ${digest ?? '(none reported)'}`);
    return { digest, mediaType, manifest };
}
/** An image manifest's config blob, checked against its digest. */
async function readConfig(reference, manifest, send) {
    const registry = registryOf(reference);
    const configDigest = descriptors(reference, manifest).config.digest;
    const blob = await send(`${repositoryUrl(reference)}/blobs/${configDigest}`);
    if (!blob.ok)
        throw await refused(`Cannot read the config ${configDigest} of ${reference} from ${registry}`, blob);
    const bytes = Buffer.from(await blob.arrayBuffer());
    if (sha256(bytes) !== configDigest)
        throw new Error(`The config of ${reference} from ${registry} does not match its digest ${configDigest}`);
    try {
        return { configDigest, config: JSON.parse(bytes.toString('utf8')) };
    }
    catch (error) {
        throw new Error(`The config of ${reference} from ${registry} is not JSON`, { cause: error });
    }
}
/**
 * An image's manifest and config, straight from the registry and checked against their
 * digests; undefined when the registry has no such tag (404).
 */
async function readImage(reference, auth) {
    const registry = registryOf(reference);
    const send = session(registry, auth);
    const read = await readManifest(reference, send, (mediaType) => {
        if (IMAGE_TYPES.includes(mediaType))
            return undefined;
        return INDEX_TYPES.includes(mediaType)
            ? `${reference} in ${registry} is a multi-platform index (${mediaType}), which reuse does not support yet`
            : `${reference} in ${registry} has a manifest of type "${mediaType}", which reuse does not support`;
    });
    return read && { ...read, ...(await readConfig(reference, read.manifest, send)) };
}
/**
 * Stores a manifest under the reference's tag, byte for byte, and returns the digest the
 * registry reports for it, which must be the bytes' own.
 */
async function putManifest(reference, manifest, mediaType, auth) {
    const registry = registryOf(reference);
    const response = await session(registry, auth)(manifestUrl(reference), {
        method: 'PUT',
        headers: { 'Content-Type': mediaType },
        body: manifest,
    });
    if (!response.ok)
        throw await refused(`${registry} refused the manifest for ${reference}`, response);
    await response.body?.cancel();
    const digest = response.headers.get('docker-content-digest');
    const expected = sha256(manifest);
    if (digest !== expected)
        throw new Error(`${registry} stored the manifest for ${reference} as ${digest ?? '(no digest reported)'}, not as ${expected}`);
    return digest;
}
/**
 * Links the blobs of a manifest (config and layers) from another repository of the same
 * registry into the reference's repository, so that a manifest PUT there needs no upload.
 */
async function mountBlobs(reference, from, manifest, auth) {
    const registry = registryOf(reference);
    const repository = repositoryOf(reference);
    const send = session(registry, auth);
    const uploads = `${repositoryUrl(reference)}/blobs/uploads/`;
    const { config, layers } = descriptors(reference, manifest);
    for (const { digest } of [config, ...layers]) {
        const response = await send(`${uploads}?${new URLSearchParams({ mount: digest, from })}`, {
            method: 'POST',
        });
        const what = `${registry} did not mount ${digest} from ${from} into ${repository}`;
        if (response.status === 202) {
            await response.body?.cancel();
            // A registry that does not mount opens an upload session instead (distribution's spec):
            // nothing will complete it, so it goes at once rather than when the registry purges it.
            const location = response.headers.get('location');
            if (location)
                await send(new URL(location, uploads).href, { method: 'DELETE' }).then((cancelled) => cancelled.body?.cancel(), () => undefined);
            throw new Error(`${what}: it offered an upload instead (HTTP 202), so the image must be pushed there`);
        }
        if (response.status !== 201)
            throw await refused(what, response);
        await response.body?.cancel();
    }
}

;// CONCATENATED MODULE: ./src/platforms/platform.ts



/**
 * The architectures an image can be built for, with containerd's normalisation
 * (platforms.Normalize): `implied` is the variant a bare name means, and `omitted` the one
 * that is dropped because it is the bare name (arm64 is v8, amd64 is v1).
 */
const ARCHITECTURES = {
    amd64: { variants: ['v1', 'v2', 'v3', 'v4'], omitted: 'v1' },
    arm64: { variants: ['v8'], omitted: 'v8' },
    arm: { variants: ['v5', 'v6', 'v7'], implied: 'v7' },
    '386': { variants: [] },
    ppc64le: { variants: [] },
    s390x: { variants: [] },
    riscv64: { variants: [] },
};
/** What uname and distributions call them. */
const ALIASES = {
    aarch64: 'arm64',
    x86_64: 'amd64',
    'x86-64': 'amd64',
    i386: '386',
};
/** The engine builds Linux containers only. */
const OSES = ['linux'];
const SYNTAX = 'must be os/architecture[/variant], like linux/amd64, linux/arm64 or linux/arm/v7';
/** A platform as the user writes it (`linux/arm64`, `linux/arm/v7`), in containerd's normal form. */
function parsePlatform(text) {
    const parts = text.trim().toLowerCase().split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === ''))
        throw new Error(`"${text}" ${SYNTAX}`);
    const [os, name, variant] = parts;
    if (!OSES.includes(os))
        throw new Error(`"${text}": the os must be ${OSES.join(' or ')}, not "${os}"`);
    const architecture = ALIASES[name] ?? name;
    const known = ARCHITECTURES[architecture];
    if (!known)
        throw new Error(`"${text}": unknown architecture "${name}"; known: ${Object.keys(ARCHITECTURES).join(', ')}`);
    if (variant !== undefined && !known.variants.includes(variant))
        throw new Error(known.variants.length
            ? `"${text}": ${architecture} has the variants ${known.variants.join(', ')}, not "${variant}"`
            : `"${text}": ${architecture} has no variants`);
    return normalise({ os, architecture, ...(variant && { variant }) });
}
/**
 * containerd's normal form of any platform, also of one that a registry states and this
 * action does not build for: architecture aliases resolved, implied variants made explicit
 * and omitted ones dropped.
 */
function normalise({ os, architecture, variant }) {
    const name = ALIASES[architecture] ?? architecture;
    const known = ARCHITECTURES[name];
    const stated = variant || known?.implied;
    return {
        os,
        architecture: name,
        ...(stated && stated !== known?.omitted && { variant: stated }),
    };
}
/** Whether two platforms are one: linux/arm64 is linux/arm64/v8, linux/arm is linux/arm/v7. */
function samePlatform(a, b) {
    const [x, y] = [normalise(a), normalise(b)];
    return x.os === y.os && x.architecture === y.architecture && x.variant === y.variant;
}
/** `linux/arm/v7` */
const platformName = (p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/');
/** `linux-arm-v7`, for a tag per platform */
const platformTagSuffix = (p) => [p.os, p.architecture, p.variant].filter(Boolean).join('-');
/**
 * The tag that holds one platform's image of a multi-platform tag (`app:1` → `app:1-linux-arm64`),
 * since a tag of the engine's image store holds one platform.
 */
function stagingTag(reference, platform) {
    const { name, tag = 'latest', digest } = (0,src_reference/* parseImageReference */.o)(reference);
    if (digest)
        throw new Error(`${reference} names a digest, so it has no tag to stage under`);
    const staging = `${tag}-${platformTagSuffix(platform)}`;
    if (staging.length > src_reference/* TAG_MAX */.s)
        throw new Error(`The ${platformName(platform)} tag of ${reference} would be "${staging}", longer than the ${src_reference/* TAG_MAX */.s} characters a tag may have: shorten the tag`);
    return `${name}:${staging}`;
}
/** Node's names for the runner's CPU, as platform architectures. */
const NODE_ARCHITECTURES = {
    x64: { os: 'linux', architecture: 'amd64' },
    arm64: { os: 'linux', architecture: 'arm64' },
    arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
    ia32: { os: 'linux', architecture: '386' },
    ppc64: { os: 'linux', architecture: 'ppc64le' },
    s390x: { os: 'linux', architecture: 's390x' },
    riscv64: { os: 'linux', architecture: 'riscv64' },
};
/** The platform the runner's CPU runs without emulation. */
function nativePlatform(arch = process.arch) {
    const native = NODE_ARCHITECTURES[arch];
    if (!native)
        throw new Error(`The runner's architecture "${arch}" is not one images are built for`);
    return native;
}
/** QEMU's name for each architecture, which names its binfmt_misc handler (`qemu-aarch64`). */
const QEMU = {
    amd64: 'x86_64',
    arm64: 'aarch64',
    arm: 'arm',
    '386': 'i386',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
};
/**
 * Architectures that a CPU runs besides its own. Not arm on arm64: not every arm64 CPU runs
 * 32-bit code, so arm needs its emulator there too.
 */
const ALSO_NATIVE = { amd64: ['386'] };
const BINFMT_MISC = '/proc/sys/fs/binfmt_misc';
/** The first line and the flags of a binfmt_misc entry, or undefined when there is none. */
function binfmtEntry(file) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
    const lines = text.split('\n');
    const flags = lines.find((line) => line.startsWith('flags:'))?.slice('flags:'.length) ?? '';
    return { enabled: lines[0] === 'enabled', flags: flags.trim() };
}
/**
 * Why the runner cannot run containers of a platform, or undefined when it can: natively, or
 * through a binfmt_misc handler (QEMU) that the kernel has enabled. The handler needs the F
 * flag, which loads the interpreter at registration, since a container's file system does
 * not have it.
 */
function emulationMissing(platform, native = nativePlatform(), binfmt = BINFMT_MISC) {
    const wanted = normalise(platform);
    const { architecture } = wanted;
    if (samePlatform(wanted, native))
        return undefined;
    if (wanted.os === native.os && ALSO_NATIVE[native.architecture]?.includes(architecture))
        return undefined;
    const cannot = `The runner (${platformName(native)}) cannot run ${platformName(wanted)} images`;
    const setUp = 'set up QEMU first (docker/setup-qemu-action) or build on a runner of that platform';
    const qemu = QEMU[architecture];
    if (wanted.os !== native.os || !qemu)
        return `${cannot}: QEMU has no emulator for them`;
    const handler = external_node_path_default().join(binfmt, `qemu-${qemu}`);
    const status = binfmtEntry(external_node_path_default().join(binfmt, 'status'));
    const entry = binfmtEntry(handler);
    if (!entry)
        return `${cannot}: no emulator is registered for them (${handler} does not exist); ${setUp}`;
    if (!entry.enabled || (status && !status.enabled))
        return `${cannot}: the emulator ${handler} is registered but disabled; ${setUp}`;
    if (!entry.flags.includes('F'))
        return `${cannot}: the emulator ${handler} is registered without the F (fix binary) flag, so containers cannot find it; ${setUp}`;
    return undefined;
}
/** A name as registries write platforms; anything else in one is not printed or trusted. */
const PLATFORM_WORD = /^[A-Za-z0-9._-]{1,32}$/;
/**
 * The platform that a config or an index entry from a registry states, when it states one
 * in plain words; undefined otherwise (attestation entries state `unknown/unknown`).
 */
function statedPlatform(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const { os, architecture, variant } = value;
    const word = (field) => typeof field === 'string' && PLATFORM_WORD.test(field);
    if (!word(os) || !word(architecture) || os === 'unknown')
        return undefined;
    if (variant !== undefined && variant !== '' && !word(variant))
        return undefined;
    return { os, architecture, ...(variant && { variant }) };
}

;// CONCATENATED MODULE: ./src/platforms/image-index.ts




const [OCI_INDEX, DOCKER_LIST] = INDEX_TYPES;
const DOCKER_IMAGE = IMAGE_TYPES[1];
/** The index document, byte for byte as it is stored: its digest is over these bytes. */
function indexManifest(entries, mediaType = OCI_INDEX) {
    const manifests = entries.map(({ mediaType, digest, size, platform }) => ({
        mediaType,
        digest,
        size,
        platform: {
            architecture: platform.architecture,
            os: platform.os,
            ...(platform.variant && { variant: platform.variant }),
        },
    }));
    return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests }, null, 2));
}
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** The entries of an index or a manifest list from a registry; malformed ones are refused. */
function listedManifests(reference, manifest) {
    let parsed;
    try {
        parsed = JSON.parse(manifest.toString('utf8'));
    }
    catch (error) {
        throw new Error(`The index of ${reference} is not JSON`, { cause: error });
    }
    if (!Array.isArray(parsed.manifests))
        throw new Error(`The index of ${reference} has no list of manifests`);
    return parsed.manifests.map((entry, n) => {
        const { digest, mediaType, platform } = (entry ?? {});
        if (typeof digest !== 'string' || !DIGEST.test(digest))
            throw new Error(`Entry ${n + 1} of the index of ${reference} has no sha256 digest`);
        return {
            digest,
            ...(typeof mediaType === 'string' && { mediaType }),
            platform: statedPlatform(platform),
        };
    });
}
/**
 * Puts one index over the entries under every tag, last and whole: first by digest into each
 * tag's repository (with the entries' manifests mounted there when they are elsewhere in the
 * registry), which shows the registry takes it before any tag moves; then under each tag. A
 * registry that refuses the OCI index type gets a Docker manifest list, when its entries are
 * Docker images.
 */
async function putIndex(tags, entries, auth) {
    if (entries.length === 0)
        throw new Error('An image index needs at least one image');
    if (tags.length === 0)
        throw new Error('An image index needs at least one tag to go under');
    const registry = registryOf(entries[0].reference);
    for (const reference of [...entries.map((entry) => entry.reference), ...tags])
        if (registryOf(reference) !== registry)
            throw new Error(`Cannot put the index over images in ${registry} under ${reference}: an index names manifests of its own registry only (${registryOf(reference)}), so the images must be pushed there`);
    // One tag per repository stands for it until the index is in.
    const repositories = new Map(tags.map((tag) => [repositoryOf(tag), tag]));
    for (const tag of repositories.values())
        await placeEntries(tag, entries, auth);
    let mediaType = OCI_INDEX;
    let manifest = indexManifest(entries, mediaType);
    try {
        await putByDigest(repositories, manifest, mediaType, auth);
    }
    catch (error) {
        if (!refusesType(error))
            throw error;
        const other = entries.find((entry) => entry.mediaType !== DOCKER_IMAGE);
        if (other)
            throw new Error(`${registry} refused the image index as ${OCI_INDEX} (${error.message}), and a Docker manifest list cannot name the ${platformName(other.platform)} image ${other.reference}, which is ${other.mediaType}`, { cause: error });
        mediaType = DOCKER_LIST;
        manifest = indexManifest(entries, mediaType);
        await putByDigest(repositories, manifest, mediaType, auth).catch((again) => {
            throw new Error(`${registry} refused the image index both as ${OCI_INDEX} (${error.message}) and as ${DOCKER_LIST} (${again.message})`, { cause: again });
        });
    }
    const pushed = [];
    for (const reference of tags)
        pushed.push({ reference, digest: await putManifest(reference, manifest, mediaType, auth) });
    return { digest: sha256(manifest), mediaType, pushed };
}
/** The index in each repository, by digest only: no tag moves yet. */
async function putByDigest(repositories, manifest, mediaType, auth) {
    for (const tag of repositories.values())
        await putManifest(atDigest(tag, sha256(manifest)), manifest, mediaType, auth);
}
const atDigest = (reference, digest) => `${(0,src_reference/* parseImageReference */.o)(reference).name}@${digest}`;
/**
 * A registry that does not know the OCI index type answers 415, or 400 with one of these codes
 * (distribution's spec; Quay and older Harbor say MANIFEST_INVALID).
 */
const TYPE_REFUSALS = ['MANIFEST_INVALID', 'UNSUPPORTED', 'MANIFEST_UNSUPPORTED'];
const refusesType = (error) => error instanceof Refusal &&
    (error.status === 415 ||
        (error.status === 400 && error.codes.some((code) => TYPE_REFUSALS.includes(code))));
/**
 * The entries' manifests in the tag's repository: an index may name only manifests of its own
 * repository, so those from another one are mounted (their blobs) and put by digest.
 */
async function placeEntries(tag, entries, auth) {
    const repository = repositoryOf(tag);
    const send = session(registryOf(tag), auth);
    for (const entry of entries) {
        const source = repositoryOf(entry.reference);
        if (source === repository)
            continue;
        const pinned = atDigest(entry.reference, entry.digest);
        const read = await readManifest(pinned, send, (mediaType) => IMAGE_TYPES.includes(mediaType)
            ? undefined
            : `${pinned} is a manifest of type "${mediaType}", not an image's`);
        if (!read)
            throw new Error(`${pinned} is no longer in ${registryOf(tag)}`);
        await mountBlobs(tag, source, read.manifest, auth);
        await putManifest(atDigest(tag, entry.digest), read.manifest, read.mediaType, auth);
    }
}

;// CONCATENATED MODULE: ./src/platforms/platform-manifest.ts





/**
 * The platform's image of a base image in its registry, as `repository@sha256:…` to pull by
 * digest: the index's entry for it, or the image itself when its config states that platform.
 */
async function platformManifest(reference, platform, auth) {
    const registry = registryOf(reference);
    const send = session(registry, auth);
    const read = await readManifest(reference, send, (mediaType) => [...INDEX_TYPES, ...IMAGE_TYPES].includes(mediaType)
        ? undefined
        : `${reference} in ${registry} has a manifest of type "${mediaType}", which is neither an image nor an index`);
    if (!read)
        throw new Error(`${reference} is not in ${registry}`);
    const pinned = (digest) => `${(0,src_reference/* parseImageReference */.o)(reference).name}@${digest}`;
    const wanted = platformName(platform);
    if (INDEX_TYPES.includes(read.mediaType)) {
        const listed = listedManifests(reference, read.manifest);
        const match = listed.find((entry) => entry.platform && samePlatform(entry.platform, platform));
        if (match)
            return pinned(match.digest);
        const has = listed.flatMap((entry) => (entry.platform ? [platformName(entry.platform)] : []));
        throw new Error(`${reference} has no image for ${wanted}; its index lists ${has.length ? has.join(', ') : 'no platform'}`);
    }
    const { config } = await readConfig(reference, read.manifest, send);
    const stated = statedPlatform(config);
    if (!stated || !samePlatform(stated, platform))
        throw new Error(`${reference} is a single-platform image for ${stated ? platformName(stated) : 'no stated platform'}, not for ${wanted}`);
    return pinned(read.digest);
}

;// CONCATENATED MODULE: ./src/docker/transfer.ts






/** Failures that another attempt cannot fix; anything else (5xx, a reset) is retried. */
const PERMANENT = /unauthorized|authentication required|denied|forbidden|\b40[134]\b|not found|manifest invalid|toomanyrequests|\b429\b/i;
const retries = (what) => ({
    attempts: 3,
    firstDelayMs: 1000,
    isPermanent: (error) => PERMANENT.test(error.message),
    onRetry: (error, attempt, delayMs) => core/* warning */.$e(`${what} failed (attempt ${attempt}): ${error.message}; retrying in ${delayMs / 1000} s`),
});
/** The stored credentials for a reference's registry, masked before anything can print them. */
async function maskedCredentials(reference) {
    const registry = registryOf(reference);
    const auth = await credentialsFor(registry);
    if (auth)
        for (const form of credentialForms(auth))
            core/* setSecret */.Pq(form);
    core/* info */.pq(auth ? `Using the stored credentials for ${registry}` : `No stored credentials for ${registry}`);
    return auth;
}
/** Pushes each tag and checks the digest the push reported against the registry's own. */
async function pushTags(engine, tags) {
    const pushed = [];
    for (const reference of tags) {
        const auth = await maskedCredentials(reference);
        const digest = await (0,retry/* withRetries */.L)(() => engine.push(reference, auth), retries(`Pushing ${reference}`));
        const confirmed = await registryDigest(reference, auth).catch((error) => {
            throw new Error(`Pushed ${reference}, but could not read its digest back: ${error.message}`, {
                cause: error,
            });
        });
        if (confirmed !== digest)
            throw new Error(`The registry reports ${confirmed} for ${reference}, but the push reported ${digest}`);
        core/* info */.pq(`Pushed ${reference}@${digest}`);
        pushed.push({ reference, digest });
    }
    return pushed;
}
/** Pulls an image with the stored credentials; a rate limit gets advice, not a stack. */
async function pullImage(engine, reference) {
    const auth = await maskedCredentials(reference);
    try {
        await (0,retry/* withRetries */.L)(() => engine.pull(reference, auth), retries(`Pulling ${reference}`));
    }
    catch (error) {
        if (/toomanyrequests|\b429\b/i.test(error.message))
            throw new Error(`The registry rate-limited the pull of ${reference} (429 Too Many Requests). Log in first (docker/login-action) for a higher limit, use a mirror, or set pull: missing to reuse a local copy.`, { cause: error });
        throw error;
    }
}
/**
 * The base image as the pull policy asks: the local one, or pulled from its registry. For a
 * platform, the local image counts only if it is that platform's (the engine's image store
 * keeps one platform per name); else the platform's manifest is pulled by its digest.
 */
async function baseImage(engine, reference, pull, platform) {
    const local = pull === 'always' ? undefined : await engine.findImage(reference);
    if (local && (!platform || samePlatform(imagePlatform(local), platform)))
        return local;
    if (pull === 'never')
        throw new Error(local && platform
            ? `Base image ${reference} is ${platformName(imagePlatform(local))} locally, not ${platformName(platform)}, and pull is "never"`
            : `Base image ${reference} is not present locally and pull is "never"`);
    if (!platform) {
        core/* info */.pq(`Pulling ${reference}`);
        await pullImage(engine, reference);
        return engine.inspectImage(reference);
    }
    const pinned = await platformManifest(reference, platform, await maskedCredentials(reference));
    core/* info */.pq(`Pulling ${pinned}, the ${platformName(platform)} image of ${reference}`);
    await pullImage(engine, pinned);
    const pulled = await engine.inspectImage(pinned);
    if (!samePlatform(imagePlatform(pulled), platform))
        throw new Error(`${reference} lists ${pinned} for ${platformName(platform)}, but its config says ${platformName(imagePlatform(pulled))}`);
    return pulled;
}
/** The platform that an image's config states. */
function imagePlatform(image) {
    const { Os, Architecture, Variant } = image;
    return { os: Os, architecture: Architecture, ...(Variant && { variant: Variant }) };
}

;// CONCATENATED MODULE: ./src/ansible/yaml11.ts

/**
 * Parses vars as `ansible-playbook -e @file` reads them: YAML 1.1 as PyYAML resolves it, so
 * `no` is false, `0644` is 420 and `1_000` is 1000, and `<<` merges. Where the yaml library's
 * 1.1 schema resolves more than PyYAML does, PyYAML's rules win: `y`/`n` stay strings, and so
 * does `1e3`, which has no dot. Timestamps stay strings too: Ansible would make dates of them,
 * which a vars file of strings cannot carry.
 */
function parseVars(text) {
    return (0,dist/* parseDocument */.Tp)(text, {
        version: '1.1',
        customTags: (tags) => tags.flatMap((tag) => {
            if (tag.tag === 'tag:yaml.org,2002:timestamp')
                return [];
            if (tag.tag === 'tag:yaml.org,2002:bool' && tag.test)
                return [{ ...tag, test: tag.test.source.includes('Y|y') ? PYYAML_TRUE : PYYAML_FALSE }];
            // PyYAML's floats have a dot, or are .inf / .nan.
            if (tag.tag === 'tag:yaml.org,2002:float' && tag.test && !tag.test.source.includes('\\.'))
                return [];
            if (tag.tag === 'tag:yaml.org,2002:float' &&
                tag.test?.source.startsWith('^[-+]?(?:[0-9][0-9_]*)?(?:\\.'))
                return [{ ...tag, test: PYYAML_FLOAT }];
            return [tag];
        }),
    });
}
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
/** An exponent needs a sign and a dot before it in PyYAML: `1.0e+3`, not `1e3`. */
const PYYAML_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;

;// CONCATENATED MODULE: ./src/failed/names.ts

/* What keep-failed names a failed build's image, locally and where push-failed puts it. */
/**
 * The local repository of failed builds' images. Not the user's: a tag in one of their
 * repositories would leave with a later `docker push --all-tags`, and the image may hold
 * secrets that the playbook wrote.
 */
const FAILED_REPOSITORY = 'ansible-image-failed';
const FAILED_SUFFIX = '-failed';
/** How main.ts names a build container: ansible-image-<run id>[-<platform>]. */
const CONTAINER_PREFIX = 'ansible-image-';
/** The failed image's local name, after its container's: ansible-image-failed:<run id>[-<platform>]. */
function failedImageName(containerName) {
    const tag = containerName.startsWith(CONTAINER_PREFIX)
        ? containerName.slice(CONTAINER_PREFIX.length)
        : containerName;
    return `${FAILED_REPOSITORY}:${tag}`;
}
/**
 * Where push-failed puts it: the first tag's repository, under that tag with `-failed` (cut to
 * fit Docker's 128 characters). One per tag, so the newest failure replaces the last one rather
 * than piling up copies of what may hold secrets; and never a tag that the reuse lookup reads.
 */
function failedPushReference(firstTag) {
    const { name, tag = 'latest' } = (0,src_reference/* parseImageReference */.o)(firstTag);
    return `${name}:${tag.slice(0, src_reference/* TAG_MAX */.s - FAILED_SUFFIX.length)}${FAILED_SUFFIX}`;
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(56118);
;// CONCATENATED MODULE: ./src/report/format.ts
/** Bytes in the units people read (decimal, like `docker images`). */
function humanBytes(bytes) {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit++;
    }
    return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
function humanSeconds(seconds) {
    return seconds < 60
        ? `${seconds.toFixed(1)} s`
        : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
/**
 * The multiple of each unit that `parseByteSize` reads, in any letter case. kB, MB… are
 * decimal, like humanBytes prints them; KiB, MiB… binary; a bare k, M, G or T is binary too,
 * as `docker run --memory 512m` reads it.
 */
const BYTE_UNITS = new Map([
    ['', 1],
    ['b', 1],
    ...['k', 'm', 'g', 't'].flatMap((prefix, index) => [
        [`${prefix}b`, 1000 ** (index + 1)],
        [`${prefix}ib`, 1024 ** (index + 1)],
        [prefix, 1024 ** (index + 1)],
    ]),
]);
const SIZE_RULE = 'a whole number of bytes, or a number with a unit: kB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024), or k, M, G, T (powers of 1024, as docker run --memory reads them), such as 250MB, 1.5GiB or 500k';
/** `250MB`, `1.5GiB`, `500k`, `1048576`: a size in whole bytes. */
function parseByteSize(text) {
    const match = /^(\d+(?:\.\d+)?) ?([a-z]*)$/i.exec(text.trim());
    const unit = match && BYTE_UNITS.get(match[2].toLowerCase());
    if (!match || !unit || (unit === 1 && match[1].includes('.')))
        throw new Error(`"${text}" must be a size: ${SIZE_RULE}`);
    const bytes = Math.round(Number(match[1]) * unit);
    if (!Number.isSafeInteger(bytes))
        throw new Error(`"${text}" is too large: at most ${Number.MAX_SAFE_INTEGER} bytes`);
    return bytes;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ./src/docker/image-archive.ts





/** A fault of the archive, as opposed to one of the caller's onLayer, which passes unchanged. */
class ArchiveError extends Error {
}
/** manifest.json, configs and legacy layer JSON are small; more is not an archive of ours. */
const METADATA_LIMIT = 16 * 1024 * 1024;
const HEX = '[0-9a-f]{64}';
const LEGACY_JSON = new RegExp(`^(${HEX})/json$`);
const LEGACY_LAYER = new RegExp(`^(${HEX})/layer\\.tar$`);
const LEGACY_CONFIG = new RegExp(`^(${HEX})\\.json$`);
const BLOB = new RegExp(`^blobs/sha256/(${HEX})$`);
/**
 * Reads an image out of the engine as `docker save` streams it, without writing it anywhere:
 * the config, the manifest.json entry, and the wanted layers as streams checked against the
 * diffIDs. A caller that wants only the top layer pays for passing the others, nothing more.
 */
async function readImageArchive(engine, image, options = {}) {
    const info = await engine.inspectImage(image);
    const expected = { id: info.Id, diffIds: info.RootFS?.Layers ?? [] };
    const source = await engine.saveImages([info.Id]);
    return parseImageArchive(source, expected, options).catch((error) => {
        if (!(error instanceof ArchiveError))
            throw error;
        throw new Error(`Cannot read image ${image} from the engine: ${error.message}`, {
            cause: error,
        });
    });
}
/**
 * The chain ID of the first n+1 layers (the image spec's ChainID), which names layer n in
 * the legacy layout's layer IDs.
 */
function chainIds(diffIds) {
    const chains = [];
    for (const diffId of diffIds) {
        const parent = chains.at(-1);
        chains.push(parent ? sha256(Buffer.from(`${parent} ${diffId}`)) : diffId);
    }
    return chains;
}
/**
 * The legacy ID that engines up to 24 give a layer below the top (moby's image/v1 CreateID
 * of a placeholder image created at the epoch): a digest of its own JSON's container_config,
 * its chain ID and its parent's ID. The top layer's ID digests the image's whole config, so
 * it is the one whose ID matches no position below the top.
 */
function legacyLayerId(containerConfig, chainId, parent) {
    const fields = [
        `"container_config":${JSON.stringify(containerConfig)}`,
        '"created":"1970-01-01T00:00:00Z"',
        `"layer_id":${JSON.stringify(chainId)}`,
        ...(parent ? [`"parent":${JSON.stringify(`sha256:${parent}`)}`] : []),
    ];
    return sha256(Buffer.from(`{${fields.join(',')}}`)).slice('sha256:'.length);
}
/** The position that a legacy layer's JSON gives its layer, from its ID. */
function legacyPosition(json, name, chains) {
    let parsed;
    try {
        parsed = JSON.parse(json.toString('utf8'));
    }
    catch (error) {
        throw new ArchiveError(`${name} is not JSON`, { cause: error });
    }
    const parent = typeof parsed.parent === 'string' ? parsed.parent : undefined;
    const id = name.split('/')[0];
    const below = chains
        .slice(0, -1)
        .findIndex((chain) => legacyLayerId(parsed.container_config, chain, parent) === id);
    return below >= 0 ? below : undefined;
}
function collect(stream, name) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        stream.on('data', (chunk) => {
            size += chunk.length;
            if (size > METADATA_LIMIT) {
                stream.destroy();
                reject(new ArchiveError(`${name} is larger than ${METADATA_LIMIT} bytes`));
            }
            else
                chunks.push(chunk);
        });
        stream.on('error', reject);
        stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
}
function skip(stream) {
    stream.resume();
    return (0,external_node_stream_promises_.finished)(stream);
}
/** The stream as it passes, failing at its end unless its bytes hash to the digest. */
function verifying(digest, what) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            hash.update(chunk);
            done(null, chunk);
        },
        flush(done) {
            const actual = `sha256:${hash.digest('hex')}`;
            done(actual === digest
                ? null
                : new ArchiveError(`${what} hashes to ${actual}, not to ${digest}`));
        },
    });
}
/**
 * Layers of a legacy archive (engines up to 24: `<layer ID>/layer.tar`, manifest.json last)
 * or of an OCI-style one (engines from 25: `blobs/sha256/<diffID>`), placed in the image
 * from their names before their bytes pass: by the diffID itself, or by the legacy layer ID.
 */
async function parseImageArchive(source, expected, options = {}) {
    const { diffIds } = expected;
    const count = diffIds.length;
    const chains = chainIds(diffIds);
    const want = options.want ?? (() => true);
    const legacyPositions = new Map();
    const delivered = new Set();
    let config;
    let manifestJson;
    const positionOf = (dir) => {
        const position = legacyPositions.get(dir);
        if (position !== undefined)
            return position;
        throw new ArchiveError(`${dir}/layer.tar comes without its layer JSON`);
    };
    const layer = async (position, header, stream) => {
        const diffId = diffIds[position];
        const indices = diffIds.flatMap((id, index) => (id === diffId ? [index] : []));
        if (!options.onLayer || delivered.has(diffId) || !indices.some((index) => want(index, count)))
            return skip(stream);
        delivered.add(diffId);
        const checked = stream.pipe(verifying(diffId, `Layer ${position + 1} (${header.name})`));
        stream.on('error', (error) => checked.destroy(error));
        await options.onLayer({ indices, diffId, size: header.size ?? 0, stream: checked });
        await skip(checked);
    };
    const entry = async (header, stream) => {
        const { name } = header;
        const legacyJson = LEGACY_JSON.exec(name);
        const legacyLayer = LEGACY_LAYER.exec(name);
        const blob = BLOB.exec(name) ?? LEGACY_CONFIG.exec(name);
        if (name === 'manifest.json')
            manifestJson = await collect(stream, name);
        else if (legacyJson) {
            const position = legacyPosition(await collect(stream, name), name, chains);
            const top = count - 1;
            if (position === undefined && [...legacyPositions.values()].includes(top))
                throw new ArchiveError(`${name} names no layer of the image`);
            legacyPositions.set(legacyJson[1], position ?? top);
        }
        else if (legacyLayer && header.type === 'file')
            await layer(positionOf(legacyLayer[1]), header, stream);
        else if (blob && `sha256:${blob[1]}` === expected.id) {
            const bytes = await collect(stream, name);
            if (sha256(bytes) !== expected.id)
                throw new ArchiveError(`the config ${name} does not hash to ${expected.id}`);
            config = { name, bytes };
        }
        else if (BLOB.test(name) && diffIds.includes(`sha256:${blob?.[1]}`))
            await layer(diffIds.indexOf(`sha256:${blob?.[1]}`), header, stream);
        else
            await skip(stream);
    };
    await new Promise((resolve, reject) => {
        const extract = tar_stream.extract();
        const fail = (error) => {
            source.unpipe(extract);
            source.destroy();
            extract.destroy();
            reject(error);
        };
        extract.on('entry', (header, stream, next) => {
            entry(header, stream).then(next, fail);
        });
        extract.on('finish', resolve);
        extract.on('error', (error) => fail(new ArchiveError(`the archive is not a whole tar: ${error.message}`, { cause: error })));
        source.on('error', (error) => fail(new ArchiveError(`the engine's stream failed: ${error.message}`, { cause: error })));
        source.pipe(extract);
    });
    if (!config)
        throw new ArchiveError(`the archive holds no config ${expected.id}`);
    const manifest = manifestEntry(manifestJson, config.name, expected.id);
    checkConfig(config.bytes, diffIds);
    checkLayers(manifest, diffIds, legacyPositions);
    const missing = diffIds.filter((diffId, index) => options.onLayer && want(index, count) && !delivered.has(diffId));
    if (missing.length)
        throw new ArchiveError(`the archive holds no layer ${missing.join(', ')} (an image store that keeps layers compressed, like containerd's, is not supported)`);
    return { id: expected.id, config: config.bytes, manifest, diffIds };
}
function manifestEntry(json, configName, id) {
    if (!json)
        throw new ArchiveError('the archive holds no manifest.json');
    let entries;
    try {
        entries = JSON.parse(json.toString('utf8'));
    }
    catch (error) {
        throw new ArchiveError('its manifest.json is not JSON', { cause: error });
    }
    const found = Array.isArray(entries)
        ? entries.find((entry) => entry?.Config === configName)
        : undefined;
    if (!found || !Array.isArray(found.Layers))
        throw new ArchiveError(`its manifest.json lists no image with the config ${id}`);
    return found;
}
function checkConfig(bytes, diffIds) {
    let listed;
    try {
        listed = JSON.parse(bytes.toString('utf8')).rootfs
            ?.diff_ids;
    }
    catch (error) {
        throw new ArchiveError('its config is not JSON', { cause: error });
    }
    if (JSON.stringify(listed) !== JSON.stringify(diffIds))
        throw new ArchiveError('its config lists other layers than the engine reports for the image');
}
/** The manifest, read last, must place each layer where its name placed it. */
function checkLayers(manifest, diffIds, legacyPositions) {
    const placed = manifest.Layers.map((path, index) => {
        const legacy = LEGACY_LAYER.exec(path);
        const blob = BLOB.exec(path);
        if (legacy)
            return diffIds[legacyPositions.get(legacy[1]) ?? -1] === diffIds[index];
        return blob !== null && `sha256:${blob[1]}` === diffIds[index];
    });
    if (placed.length !== diffIds.length || placed.includes(false))
        throw new ArchiveError("its manifest.json lists the image's layers otherwise than their names in the archive");
}

;// CONCATENATED MODULE: ./src/docker/oci-image.ts


const OCI_MANIFEST = IMAGE_TYPES[0];
const oci_image_OCI_INDEX = INDEX_TYPES[0];
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** The annotation of an OCI layout's index.json that names an image, by its tag. */
const REF_NAME = 'org.opencontainers.image.ref.name';
/** The whole reference, which containerd (and so `docker load` from engine 25) reads. */
const IMAGE_NAME = 'io.containerd.image.name';
const descriptorOf = (mediaType, bytes) => ({
    mediaType,
    digest: sha256(bytes),
    size: bytes.length,
});
/** The platform that an image config states. */
function configPlatform(config) {
    let parsed;
    try {
        parsed = JSON.parse(config.toString('utf8'));
    }
    catch (error) {
        throw new Error('The image config is not JSON', { cause: error });
    }
    const { os, architecture, variant } = parsed;
    if (typeof os !== 'string' || typeof architecture !== 'string' || !os || !architecture)
        throw new Error('The image config names no os or architecture');
    return { os, architecture, ...(typeof variant === 'string' && variant && { variant }) };
}
/** Where an OCI image layout keeps a blob. */
const blobPath = (digest) => `blobs/${digest.replace(':', '/')}`;
const json = (value) => Buffer.from(JSON.stringify(value));
/** An OCI image manifest, as the bytes whose digest names it. */
function imageManifest(config, layers) {
    return json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers });
}
/** An OCI image index over the manifests (and, in a layout's index.json, what names them). */
function imageIndex(manifests) {
    return json({ schemaVersion: 2, mediaType: oci_image_OCI_INDEX, manifests });
}
/** The annotations that name an image in an OCI layout: its tag, and the whole reference. */
function refAnnotations(reference) {
    const { tag } = (0,src_reference/* parseImageReference */.o)(reference);
    return { [IMAGE_NAME]: reference, [REF_NAME]: tag ?? 'latest' };
}

;// CONCATENATED MODULE: ./src/docker/export.ts









const EXPORT_FORMATS = ['docker', 'oci'];
/**
 * Writes images into a tarball: `docker` is what `docker save` writes (for `docker load`),
 * `oci` an OCI image layout (oci-layout, index.json, blobs/sha256/…), whose index.json names
 * the image, or an image index over the platforms when there are several. The file appears
 * whole or not at all: it is written next to the target and renamed.
 */
async function exportImages(request) {
    const { images, format, overwrite } = request;
    const target = external_node_path_default().resolve(request.path);
    if (images.length === 0)
        throw new Error('There is no image to export');
    const names = new Set(images.map((image) => image.reference));
    if (format === 'oci' && names.size > 1)
        throw new Error(`The images of one OCI export share one name, not ${[...names].join(', ')}`);
    await checkTarget(target, overwrite);
    const folder = external_node_path_default().dirname(target);
    try {
        await (0,promises_.mkdir)(folder, { recursive: true });
    }
    catch (error) {
        throw new Error(`Cannot create ${folder} for the export: ${reason(error)}`, { cause: error });
    }
    const partial = external_node_path_default().join(folder, `.${external_node_path_default().basename(target)}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.partial`);
    // 'wx': a file someone put there meanwhile is not followed or reused.
    const file = (0,external_node_fs_.createWriteStream)(partial, { flags: 'wx' });
    try {
        await new Promise((resolve, reject) => file.once('open', resolve).once('error', reject));
    }
    catch (error) {
        throw new Error(`Cannot write the export into ${folder}: ${reason(error)}`, { cause: error });
    }
    try {
        const source = format === 'docker' ? await dockerArchive(request) : ociArchive(request.engine, images);
        await (0,external_node_stream_promises_.pipeline)(source, file);
        await (0,promises_.rename)(partial, target);
    }
    catch (error) {
        file.destroy();
        await (0,promises_.rm)(partial, { force: true });
        const after = file.bytesWritten ? ` after ${humanBytes(file.bytesWritten)}` : '';
        throw new Error(`Cannot export to ${target}: ${reason(error)}${after}; nothing was left there`, {
            cause: error,
        });
    }
    return { path: target, bytes: (await (0,promises_.stat)(target)).size };
}
async function checkTarget(target, overwrite) {
    const existing = await (0,promises_.lstat)(target).catch(() => undefined);
    if (!existing)
        return;
    if (!existing.isFile())
        throw new Error(`The export path ${target} exists and is not a file`);
    if (!overwrite)
        throw new Error(`The export path ${target} exists: choose another, or set export-overwrite: true to replace it`);
}
/** The cause of a file system failure, said plainly, with the code for searching. */
function reason(error) {
    const { code, message } = error;
    switch (code) {
        case 'ENOSPC':
        case 'EDQUOT':
            return `the disk is full (${code})`;
        case 'EACCES':
        case 'EPERM':
        case 'EROFS':
            return `the folder is not writable (${code})`;
        default:
            return message;
    }
}
/** `docker save` by the images' tags, which the engine must give those very images. */
async function dockerArchive({ engine, images }) {
    const names = await Promise.all(images.map(async ({ id, reference }) => {
        if (!reference)
            return id;
        const tagged = await engine.findImage(reference);
        if (tagged?.Id !== id)
            throw new Error(`The engine has no tag ${reference} on the image ${id} to export`);
        return reference;
    }));
    return (await engine.saveImages(names));
}
/**
 * The OCI layout, streamed as each image leaves the engine: a layer goes into the tarball
 * as it is read (uncompressed, so that its digest is its diffID), then the config and the
 * manifest; index.json comes last, once every manifest is known.
 */
function ociArchive(engine, images) {
    const pack = tar_stream.pack();
    // An entry of a pack that the file's failure destroyed never completes: this ends the wait.
    const stopped = new Promise((_, reject) => pack.once('close', () => reject(new Error('the export stopped'))));
    stopped.catch(() => undefined);
    const written = new Set();
    const add = (name, bytes) => Promise.race([
        stopped,
        new Promise((resolve, reject) => pack.entry({ name, size: bytes.length, mtime: EPOCH }, bytes, (error) => error ? reject(error) : resolve())),
    ]);
    const blob = async (descriptor, bytes) => {
        if (written.has(descriptor.digest))
            return;
        written.add(descriptor.digest);
        await add(blobPath(descriptor.digest), bytes);
    };
    const write = async () => {
        await add('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
        const manifests = [];
        for (const image of images) {
            const sizes = new Map();
            const archive = await readImageArchive(engine, image.id, {
                onLayer: async ({ diffId, size, stream }) => {
                    sizes.set(diffId, size);
                    if (written.has(diffId))
                        return;
                    written.add(diffId);
                    await Promise.race([
                        stopped,
                        new Promise((resolve, reject) => {
                            const entry = pack.entry({ name: blobPath(diffId), size, mtime: EPOCH }, (error) => error ? reject(error) : resolve());
                            stream.on('error', reject).pipe(entry);
                        }),
                    ]);
                },
            });
            const config = descriptorOf(OCI_CONFIG, archive.config);
            await blob(config, archive.config);
            const layers = archive.diffIds.map((diffId) => ({
                mediaType: OCI_LAYER,
                digest: diffId,
                size: sizes.get(diffId),
            }));
            const manifest = imageManifest(config, layers);
            const descriptor = descriptorOf(OCI_MANIFEST, manifest);
            await blob(descriptor, manifest);
            manifests.push({
                ...descriptor,
                platform: image.platform ?? configPlatform(archive.config),
                ...(images.length === 1 &&
                    image.reference && { annotations: refAnnotations(image.reference) }),
            });
        }
        await add('index.json', imageIndex(await topLevel(manifests, images[0].reference, blob)));
        pack.finalize();
    };
    write().catch((error) => pack.destroy(error));
    return pack;
}
const EPOCH = new Date(0);
/** What index.json lists: the image, or one image index over every platform's image. */
async function topLevel(manifests, reference, blob) {
    if (manifests.length === 1)
        return manifests;
    const index = imageIndex(manifests);
    const descriptor = descriptorOf(oci_image_OCI_INDEX, index);
    await blob(descriptor, index);
    return [{ ...descriptor, ...(reference && { annotations: refAnnotations(reference) }) }];
}

;// CONCATENATED MODULE: ./src/tools/hashicorp-key.ts
/**
 * HashiCorp's release signing key, fingerprint C874 011F 0AB4 0511 0D02 1055 3436 5D94 72D7 468F
 * (HashiCorp Security), as published at https://www.hashicorp.com/security: the primary key and
 * its signing subkey 374E C75B 4859 1360 4A83 1CC7 C820 C6D5 CD27 AB87, valid until 2030-02-26.
 * Input `hashicorp-public-key` replaces it for mirrors that re-sign.
 */
const HASHICORP_FINGERPRINT = 'c874011f0ab405110d02105534365d9472d7468f';
const HASHICORP_PUBLIC_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mQINBGB9+xkBEACabYZOWKmgZsHTdRDiyPJxhbuUiKX65GUWkyRMJKi/1dviVxOX
PG6hBPtF48IFnVgxKpIb7G6NjBousAV+CuLlv5yqFKpOZEGC6sBV+Gx8Vu1CICpl
Zm+HpQPcIzwBpN+Ar4l/exCG/f/MZq/oxGgH+TyRF3XcYDjG8dbJCpHO5nQ5Cy9h
QIp3/Bh09kET6lk+4QlofNgHKVT2epV8iK1cXlbQe2tZtfCUtxk+pxvU0UHXp+AB
0xc3/gIhjZp/dePmCOyQyGPJbp5bpO4UeAJ6frqhexmNlaw9Z897ltZmRLGq1p4a
RnWL8FPkBz9SCSKXS8uNyV5oMNVn4G1obCkc106iWuKBTibffYQzq5TG8FYVJKrh
RwWB6piacEB8hl20IIWSxIM3J9tT7CPSnk5RYYCTRHgA5OOrqZhC7JefudrP8n+M
pxkDgNORDu7GCfAuisrf7dXYjLsxG4tu22DBJJC0c/IpRpXDnOuJN1Q5e/3VUKKW
mypNumuQpP5lc1ZFG64TRzb1HR6oIdHfbrVQfdiQXpvdcFx+Fl57WuUraXRV6qfb
4ZmKHX1JEwM/7tu21QE4F1dz0jroLSricZxfaCTHHWNfvGJoZ30/MZUrpSC0IfB3
iQutxbZrwIlTBt+fGLtm3vDtwMFNWM+Rb1lrOxEQd2eijdxhvBOHtlIcswARAQAB
tERIYXNoaUNvcnAgU2VjdXJpdHkgKGhhc2hpY29ycC5jb20vc2VjdXJpdHkpIDxz
ZWN1cml0eUBoYXNoaWNvcnAuY29tPokCVAQTAQoAPgIbAwULCQgHAgYVCgkICwIE
FgIDAQIeAQIXgBYhBMh0AR8KtAURDQIQVTQ2XZRy10aPBQJplkfQBQkQrOy3AAoJ
EDQ2XZRy10aPw6gP/3GUEMUa6mCRuuSOT9UnziPIvXYd63mcN6A6Jwmwj8JaB2qu
OCijvJkw56UbZK3x1FZIbe0hA6VUAwNSNmSIxVJkilgwIYYFO0tnL79XhIeP7jYF
ydXLZ4rTi1FDl8lltAujTNARdY8UGg4hGlcM9OrEeXEFLWugJNiChL15FVoxZqIS
jeduaEqyxGfJnyVwy8z3pZfgODeFr7xs2NkUIMSfuRg24VcL4aW8Frt3jW8P45y3
o/5fsi6Aw2tZ0wD9NSgkVc8VD1NRV9eSZ95Bv+Awf9IXa+Cn5OCjc8Jc+XF+nLfB
oPswOO7E8dLiuBUw6/GzSLMbVs8qf8BNXB92dOe1VccVTqjCxK2sEpVaHh7e+co8
d8lDGBIWMGh7NS6XlGORpFb/T6gxjjOYUV3SKd4QDebUUG8kMkb5juLljOoq+YOP
vgNLDZLZteFpmH+zB9DpOY1YtHZB/OD+DtzLMaSl6VPF2Ln0j5aQGwNDt7sheyAe
sXbu0qn2H5FxojSfvhT0kUDKZ0mgg5y3Oflg49MiAOhjLGY0JocFpBeMILw27fbw
fpIBP7siQWFTFJ1O+l2NQiWAwC2x5fX2EakyCBJmrkPV2hr4nEogNqg9/RDskIUq
cpcOOd/0BntiXMyUCCH2AoCt5acaTQ0WU6CAosZPojOYhtGGgOgeQSdflpMSuQIN
BGCAXCYBEADW6RNrZVGNXvHVBqSiOWaxl1XOiEoiHPt50Aijt25yXbG+0kHIFSoR
+1g6Lh20JTCChgfQkGGjzQvEuG1HTw07YhsvLc0pkjNMfu6gJqFox/ogc53mz69O
xXauzUQ/TZ27GDVpUBu+EhDKt1s3OtA6Bjz/csop/Um7gT0+ivHyvJ/jGdnPEZv8
tNuSE/Uo+hn/Q9hg8SbveZzo3C+U4KcabCESEFl8Gq6aRi9vAfa65oxD5jKaIz7c
y+pwb0lizqlW7H9tQlr3dBfdIcdzgR55hTFC5/XrcwJ6/nHVH/xGskEasnfCQX8R
YKMuy0UADJy72TkZbYaCx+XXIcVB8GTOmJVoAhrTSSVLAZspfCnjwnSxisDn3Zzs
Yrq3cV6sU8b+QlIX7VAjurE+5cZiVlaxgCjyhKqlGgmonnReWOBacCgL/UvuwMmM
p5TTLmiLXLT7uxeGojEyoCk4sMrqrU1jevHyGlDJH9Taux15GILDwnYFfAvPF9WC
id4UZ4Ouwjcaxfys3LxNiZIlUsXNKwS3mhiMRL4TRsbs4k4QE+LIMOsauIvcvm8/
frydvQ/kUwIhVTH80XGOH909bYtJvY3fudK7ShIwm7ZFTduBJUG473E/Fn3VkhTm
BX6+PjOC50HR/HybwaRCzfDruMe3TAcE/tSP5CUOb9C7+P+hPzQcDwARAQABiQRy
BBgBCgAmAhsCFiEEyHQBHwq0BRENAhBVNDZdlHLXRo8FAmmWSAoFCRCqi+QCQMF0
IAQZAQoAHRYhBDdOx1tIWRNgSoMcx8ggxtXNJ6uHBQJggFwmAAoJEMggxtXNJ6uH
RfAP/2CGdSyg0K7U66Vygl0dugxrMm8O3/Oe211BKdQsFUSWAznOTRTK/zvMUHO4
LJAlYvdtZ6xDa4XHl9FYQ8MR9ZV0OuOlAZvU4IJDLPVCU09X/UzX/GEoZL0R5esv
wPAXopMaRHCfXJeI/gEaB94UhAeYlwpcRn0eSuk1vyZx7GRE6/hog8DCf4hoT40d
W20gGe58xcvJ+mRYlC0lr16WH08wuUcee6+dgu+4Cg6SG6+zt9cMyl8VnTUL5BK/
V3MebnYZJK0RFDNnnXDhzStgOd5gOeIL+xBPXHd0/ld/rDM74SFExpuS+hNsyo+x
MQ/HJavak21MFinul9COwfGEmlAXTGMY30Lf3Pt/eAkbwgmGc966VSoRmOFEXJVl
Dr+yJR6ru+7j50z8lAv6Lsop7sun1Qysbo0swf6W1qgPf6VWbx91NTFLkw0+gD8j
xwrU5ZMkeSuntX9dpjuZS29CflXXIRPlvhuiDPicwTpYuIUx37vHveAH5gnowZg2
47x780Urrsx8duTX8CI9MAnqzm4dFAiRlwE8bvLk+l9wekiXA9gIMZiVNqNlduXI
qvAG21Wdgq8qyeXKy/XWCVKDQOmEbFAltfNam8E3KEw0fl199x+93d5ckDGcPzUY
PbNkCuIwngC/ZN96pDafF3Z12fSNfhZUe0C8td8KAszYa96GCRA0Nl2UctdGj1gK
D/4jOGhEGTg88VyuPVjeK+zkwrTIZSvHdUHfTt/+rTLSNb/RQiBCUQuEZvafj6Fr
ntS7bAEhccGqH894T3St5K0AXWkvsLd6K+cbIQdlnFA2zb6geJUCk6qx5NgWpRc3
i0DS7CheGwl+Bwu7+n9pNjNjiHV+rYDgqbQXG0dtGysB0/3qIRgEDHFO0HJu/dct
e4oXrQIqrZrpOwe8WxqFqdU918JpSUcc8coiFp9YtwpgqQNxGVZ+rhgnTGdZzk1f
/Yhhimh+2B0ReaFvk3UzVBj3HQ9C6+Ot3MyDEhSgdhjr9e25Tm9S5YfhwtWmghRw
9RKPyLMSXSxm/Uc0mK1NucAp8TQBwKqKzNpCk5IdrBSWRUbjOoOFyzyCsY6gS285
GCpSIzI39hTf+3gdwYPlE6fj+F2TZzdhx62DPnzBzBHnByYTVdJ649bx0FFp4Q+5
TbIWtxu/AQkRDxmWNQfE+6GgeshlrhXWsh6+PGDzt+2raG6zUT913sdz7Ctw4fLj
msKOTdTz3Xa9pr8lxfI/JuukSgt9o/n3GirhTB3zE1w/I/Xt6k7oASiP3zQSuHtB
/CYKYHDtOCWwjo7JPEGtb/FkreKNxsk/p20jnlrB8WZxxswdr2Vri9NmFeyMDVX7
qF3WqT+8aCV9GtS1GCHx/5nGBdDwoxEsXqpI3IUqPb6FDg==
=bov7
-----END PGP PUBLIC KEY BLOCK-----
`;

// EXTERNAL MODULE: ./src/tools/versions.ts
var versions = __webpack_require__(62578);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(62088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./src/inputs.ts


















const PULL_POLICIES = ['missing', 'always', 'never'];
const PYTHON_MODES = ['auto', 'keep', 'never'];
/** An input that breaks a rule; the message names the input, the value and the rule. */
class InputError extends Error {
    constructor(input, message, options) {
        super(`Input "${input}": ${message}`, options);
        this.name = 'InputError';
    }
}
/** Reads and validates every input once, before anything runs. */
function getInputs() {
    // Masked before anything else can print them, an error message included.
    const secrets = [];
    const vaultPassword = secret('vault-password', secrets);
    const secretVars = secretMapping('secret-vars', secrets);
    const workspace = (0,external_node_fs_.realpathSync)(process.env.GITHUB_WORKSPACE || process.cwd());
    const workingDirectory = workspacePath('working-directory', core/* getInput */.V4('working-directory') || '.', workspace, workspace, 'directory');
    const merge = mergeReferences(core/* getInput */.V4('merge'));
    const playbookInput = core/* getInput */.V4('playbook');
    if (!playbookInput && !merge.length)
        throw new InputError('playbook', 'is required (only merge builds nothing)');
    if (playbookInput && merge.length)
        throw new InputError('merge', 'builds nothing, so it takes no playbook: give one or the other');
    const playbook = playbookInput
        ? workspacePath('playbook', playbookInput, workingDirectory, workspace, 'file')
        : '';
    const galaxyInput = core/* getInput */.V4('galaxy-file');
    const cmdFromService = serviceName('cmd-from-service', core/* getInput */.V4('cmd-from-service'));
    const tagList = tags(core/* getInput */.V4('tags'));
    const push = inputs_boolean('push', false);
    if (push && tagList.length === 0)
        throw new InputError('push', 'true needs at least one image reference in tags');
    if (merge.length && tagList.length === 0)
        throw new InputError('merge', 'needs at least one image reference in tags to put the index under');
    const platformList = platforms(core/* getInput */.V4('platforms'));
    if (merge.length && platformList.length)
        throw new InputError('merge', 'builds nothing, so it takes no platforms: the images carry theirs');
    const registries = new Set(tagList.map(registryOf));
    if (push && platformList.length > 1 && registries.size > 1)
        throw new InputError('tags', `name ${registries.size} registries (${[...registries].join(', ')}): with platforms, one index goes under every tag and must be checked in its registry before any tag moves, so all tags must be in one registry`);
    const pushByDigest = inputs_boolean('push-by-digest', false);
    if (pushByDigest && !push)
        throw new InputError('push-by-digest', 'true needs push: true, since it is a way of pushing');
    const cacheMaxAge = duration('cache-max-age', core/* getInput */.V4('cache-max-age'));
    const exported = exportTarget(workspace);
    if (exported && merge.length)
        throw new InputError('export', 'takes what a build makes, and merge builds nothing');
    const maxLayerSize = byteSize('max-layer-size');
    const keepFailed = inputs_boolean('keep-failed', true);
    const pushFailed = inputs_boolean('push-failed', false);
    if (pushFailed && !keepFailed)
        throw new InputError('push-failed', 'true needs keep-failed: true, since it pushes what that keeps');
    if (pushFailed && tagList.length === 0)
        throw new InputError('push-failed', "true needs at least one image reference in tags: the failed image goes to the first one's repository");
    if (pushFailed && tagList.includes(failedPushReference(tagList[0])))
        throw new InputError('push-failed', `true would push a failed build as ${failedPushReference(tagList[0])}, which is one of the tags, for good builds only`);
    return {
        workspace,
        workingDirectory,
        playbook,
        baseImage: imageReference('base-image', core/* getInput */.V4('base-image') || 'debian:bookworm-slim'),
        pull: oneOf('pull', core/* getInput */.V4('pull') || 'missing', PULL_POLICIES),
        tags: tagList,
        push,
        ociLabels: inputs_boolean('oci-labels', true),
        labels: labels(core/* getInput */.V4('labels', { trimWhitespace: false })),
        changes: changes(core/* getInput */.V4('changes')),
        extraVars: extraVars(core/* getInput */.V4('extra-vars'), workingDirectory, workspace),
        ...(secretVars && { secretVars }),
        ...(vaultPassword && { vaultPassword }),
        secrets,
        ansibleArgs: ansibleArgs(core/* getInput */.V4('ansible-args')),
        ...(galaxyInput && {
            galaxyFile: workspacePath('galaxy-file', galaxyInput, workingDirectory, workspace, 'file'),
        }),
        network: network(core/* getInput */.V4('network')),
        python: oneOf('python', core/* getInput */.V4('python') || 'auto', PYTHON_MODES),
        ...(cmdFromService && { cmdFromService }),
        packerVersion: toolVersion('packer-version'),
        ansibleVersion: toolVersion('ansible-version'),
        hashicorpReleasesUrl: url('hashicorp-releases-url', 'https://releases.hashicorp.com'),
        hashicorpPublicKey: publicKey(),
        dockerPluginVersion: exactVersion('docker-plugin-version', '1.1.4', '1.0.0'),
        ansiblePluginVersion: exactVersion('ansible-plugin-version', '1.1.6', '1.1.0'),
        pipIndexUrl: url('pip-index-url', 'https://pypi.org/simple'),
        summary: inputs_boolean('summary', true),
        cache: inputs_boolean('cache', true),
        cacheKey: core/* getInput */.V4('cache-key', { trimWhitespace: false }),
        ...(cacheMaxAge !== undefined && { cacheMaxAge }),
        ...(exported && { export: exported }),
        ...(maxLayerSize !== undefined && { maxLayerSize }),
        platforms: platformList,
        pushByDigest,
        maxParallel: positiveInteger('max-parallel', Math.max(1, Math.floor(external_node_os_default().availableParallelism() / 2))),
        merge,
        keepFailed,
        pushFailed,
        github: {
            serverUrl: process.env.GITHUB_SERVER_URL || undefined,
            repository: process.env.GITHUB_REPOSITORY || undefined,
            revision: process.env.GITHUB_SHA || undefined,
        },
    };
}
function oneOf(input, value, allowed) {
    if (!allowed.includes(value))
        throw new InputError(input, `"${value}" must be one of ${allowed.join(', ')}`);
    return value;
}
/** Only the documented spellings: a typo must not silently mean false. */
function inputs_boolean(input, fallback) {
    const value = core/* getInput */.V4(input);
    if (value === '')
        return fallback;
    return oneOf(input, value, ['true', 'false']) === 'true';
}
/** A service as systemctl names it: `nginx`, `nginx.service` or a template's `ticker@a`. */
function serviceName(input, value) {
    if (value === '')
        return undefined;
    if (!/^[A-Za-z0-9_:.\\@][A-Za-z0-9_:.\\@-]*$/.test(value) || value.length > 255)
        throw new InputError(input, `"${value}" must be a service name (letters, digits and :_.\\@-, not starting with -)`);
    const suffix = /\.(socket|target|timer|path|mount|automount|swap|slice|scope|device)$/.exec(value)?.[1];
    if (suffix)
        throw new InputError(input, `"${value}" must name a service, not a .${suffix} unit`);
    return value;
}
function toolVersion(input) {
    const value = core/* getInput */.V4(input) || 'latest';
    if (!(0,versions/* isVersionSpec */.yS)(value))
        throw new InputError(input, `"${value}" must be latest, system (the tool on PATH), a version (1.11.2) or a range (~1.11, >=1.10 <2)`);
    return value;
}
function exactVersion(input, fallback, minimum) {
    const value = core/* getInput */.V4(input) || fallback;
    if (!semver_default().valid(value) || semver_default().lt(value, minimum))
        throw new InputError(input, `"${value}" must be an exact version, ${minimum} or later`);
    return value;
}
const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** `7d`, `12h`, `1d12h`, `30m`, `90s`, `2w`: in seconds. */
function duration(input, value) {
    if (value === '')
        return undefined;
    const parts = [...value.matchAll(/(\d+)([smhdw])/g)];
    if (!/^(\d+[smhdw])+$/.test(value) || parts.length === 0)
        throw new InputError(input, `"${value}" must be a duration: numbers with units s, m, h, d or w, such as 7d, 12h or 1d12h`);
    const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS[unit], 0);
    if (seconds === 0)
        throw new InputError(input, `"${value}" must be longer than 0 s`);
    return seconds;
}
function url(input, fallback) {
    const value = core/* getInput */.V4(input) || fallback;
    let parsed;
    try {
        parsed = new URL(value);
    }
    catch {
        throw new InputError(input, `"${value}" must be an http(s) URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        throw new InputError(input, `"${value}" must be an http(s) URL`);
    return value.replace(/\/+$/, '');
}
function publicKey() {
    const value = core/* getInput */.V4('hashicorp-public-key');
    if (value === '')
        return HASHICORP_PUBLIC_KEY;
    if (!value.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----'))
        throw new InputError('hashicorp-public-key', 'must be an ASCII-armored PGP public key block');
    return value;
}
/** Resolves a path that must exist and stay inside the workspace, symlinks included. */
function workspacePath(input, value, base, workspace, kind) {
    const resolved = external_node_path_default().resolve(base, value);
    if (!(0,external_node_fs_.existsSync)(resolved))
        throw new InputError(input, `"${value}" does not exist`);
    const real = (0,external_node_fs_.realpathSync)(resolved);
    const relative = external_node_path_default().relative(workspace, real);
    if (relative === '..' || relative.startsWith(`..${(external_node_path_default()).sep}`) || external_node_path_default().isAbsolute(relative))
        throw new InputError(input, `"${value}" must stay inside the workspace (${workspace})`);
    const isDirectory = (0,external_node_fs_.statSync)(real).isDirectory();
    if (isDirectory !== (kind === 'directory'))
        throw new InputError(input, `"${value}" must be a ${kind}`);
    return real;
}
function imageReference(input, value) {
    try {
        (0,src_reference/* parseImageReference */.o)(value);
    }
    catch (error) {
        throw new InputError(input, `"${value}" is not a valid image reference: ${message(error)}`, {
            cause: error,
        });
    }
    return value;
}
function listItems(value, separators) {
    return value
        .split(separators)
        .map((item) => item.trim())
        .filter((item) => item !== '');
}
function tags(value) {
    return listItems(value, /[\n,]/).map((tag) => {
        imageReference('tags', tag);
        if (tag.includes('@'))
            throw new InputError('tags', `"${tag}" must not contain a digest: a tag names a new image`);
        return tag;
    });
}
function platforms(value) {
    const list = [];
    for (const item of listItems(value, /[\n,]/)) {
        let platform;
        try {
            platform = parsePlatform(item);
        }
        catch (error) {
            throw new InputError('platforms', message(error), { cause: error });
        }
        const again = list.find((earlier) => samePlatform(earlier, platform));
        if (again)
            throw new InputError('platforms', `"${item}" repeats ${platformName(again)}: each platform is built once`);
        list.push(platform);
    }
    return list;
}
function mergeReferences(value) {
    return listItems(value, /[\n,\s]/).map((reference) => {
        imageReference('merge', reference);
        if (!/@sha256:[0-9a-f]{64}$/.test(reference))
            throw new InputError('merge', `"${reference}" must name an image by digest (repository@sha256:…), like a build's digest output`);
        return reference;
    });
}
function exportTarget(workspace) {
    const value = core/* getInput */.V4('export');
    const format = oneOf('export-format', core/* getInput */.V4('export-format') || 'docker', EXPORT_FORMATS);
    const overwrite = inputs_boolean('export-overwrite', false);
    if (!value)
        return undefined;
    const target = external_node_path_default().resolve(workspace, value);
    if (!overwrite && (0,external_node_fs_.existsSync)(target))
        throw new InputError('export', `"${value}" exists: set export-overwrite: true to replace it`);
    return { path: target, format, overwrite };
}
function byteSize(input) {
    const value = core/* getInput */.V4(input);
    if (!value)
        return undefined;
    try {
        return parseByteSize(value);
    }
    catch (error) {
        throw new InputError(input, message(error), { cause: error });
    }
}
function positiveInteger(input, fallback) {
    const value = core/* getInput */.V4(input);
    if (!value)
        return fallback;
    if (!/^[1-9][0-9]{0,2}$/.test(value))
        throw new InputError(input, `"${value}" must be a whole number from 1 to 999`);
    return Number(value);
}
function labels(value) {
    return value
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
        const at = line.indexOf('=');
        const key = line.slice(0, at).trim();
        if (at < 0 || key === '')
            throw new InputError('labels', `"${line}" must be a key=value line`);
        return [key, line.slice(at + 1)];
    });
}
function changes(value) {
    return value
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
        try {
            return parseChange(line);
        }
        catch (error) {
            throw new InputError('changes', `"${line.trim()}": ${message(error)}`, { cause: error });
        }
    });
}
function extraVars(value, workingDirectory, workspace) {
    if (value.trim() === '')
        return undefined;
    let text = value;
    let source = 'the inline value';
    if (value.trim().startsWith('@')) {
        const file = value.trim().slice(1);
        const resolved = workspacePath('extra-vars', file, workingDirectory, workspace, 'file');
        text = (0,external_node_fs_.readFileSync)(resolved, 'utf8');
        source = `file "${file}"`;
    }
    const document = parseVars(text);
    if (document.errors.length > 0)
        throw new InputError('extra-vars', `${source} is not valid YAML: ${document.errors[0].message}`);
    if (!(0,dist/* isMap */.jh)(document.contents))
        throw new InputError('extra-vars', `${source} must be a YAML mapping of variable names to values`);
    return document.toJS();
}
/** Masks a secret and every form of it that logs could show. */
function mask(value, secrets) {
    for (const form of secretForms(value)) {
        core/* setSecret */.Pq(form);
        secrets.push(form);
    }
}
function secret(input, secrets) {
    const value = core/* getInput */.V4(input, { trimWhitespace: false });
    if (value === '')
        return undefined;
    mask(value, secrets);
    // A vault password file is read up to its first newline; a password cannot hold one.
    const password = value.replace(/\r?\n$/, '');
    if (/[\r\n]/.test(password))
        throw new InputError(input, 'must be a single line (value hidden)');
    return password;
}
/** A YAML mapping of secret vars: every string in it is masked; errors never quote it. */
function secretMapping(input, secrets) {
    const value = core/* getInput */.V4(input, { trimWhitespace: false });
    if (value.trim() === '')
        return undefined;
    mask(value, secrets);
    const document = parseVars(value);
    if (document.errors.length > 0) {
        const [line, column] = document.errors[0].linePos?.[0]
            ? [document.errors[0].linePos[0].line, document.errors[0].linePos[0].col]
            : ['?', '?'];
        throw new InputError(input, `is not valid YAML at line ${line}, column ${column} (value hidden)`);
    }
    if (!(0,dist/* isMap */.jh)(document.contents))
        throw new InputError(input, 'must be a YAML mapping of variable names to values (value hidden)');
    const vars = document.toJS();
    const maskLeaves = (node) => {
        // Masking "1" or "no" would blank them out of the whole log; such values stay visible.
        // A number (a PIN, say) is printed as its digits.
        const text = typeof node === 'number' || typeof node === 'bigint' ? String(node) : node;
        if (typeof text === 'string' && text.length >= 3)
            mask(text, secrets);
        else if (node && typeof node === 'object')
            Object.values(node).forEach(maskLeaves);
    };
    maskLeaves(vars);
    return vars;
}
function ansibleArgs(value) {
    try {
        return splitShellWords(value);
    }
    catch (error) {
        throw new InputError('ansible-args', `"${value}": ${message(error)}`, { cause: error });
    }
}
function network(value) {
    const mode = value.trim();
    if (mode !== '' && !/^(container:)?[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(mode))
        throw new InputError('network', `"${value}" must be host, none, a network name or container:NAME (letters, digits, _ . -)`);
    return mode;
}
function message(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/ansible/events.ts

/** Reads the events file; a line cut short by a killed Ansible is skipped. */
function parseEvents(text) {
    const events = { tasks: [] };
    for (const line of text.split('\n')) {
        if (line.trim() === '')
            continue;
        let event;
        try {
            event = JSON.parse(line);
        }
        catch {
            continue;
        }
        if (event === null || typeof event !== 'object')
            continue;
        if (event.type === 'task')
            events.tasks.push(event);
        else if (event.type === 'stats') {
            const { type: _type, ...recap } = event;
            events.recap = recap;
        }
    }
    return events;
}
const isFailure = (task) => task.status === 'failed' || task.status === 'unreachable';
function firstFailure(events) {
    return events.tasks.find(isFailure);
}
/** Every text of a task result that a variable's value may have reached, with secrets redacted. */
function redactTask(task, secrets) {
    const clean = (text) => redact(text, secrets);
    return {
        ...task,
        name: clean(task.name),
        message: clean(task.message),
        warnings: task.warnings?.map(clean),
        deprecations: task.deprecations?.map(clean),
    };
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * Markdown for the job summary that text from the playbook, the image or a registry cannot
 * take over: no Markdown, HTML or autolink in it takes effect, whatever it holds.
 */
/** A code span on one line. The fence is longer than any run of backticks inside. */
function code(text) {
    const fence = '`'.repeat(longestBacktickRun(text) + 1);
    // CommonMark ends a line at \n, \r\n and a lone \r: any of them would end a table row.
    return `${fence} ${text.replace(/\r\n?|\n/g, ' ')} ${fence}`;
}
/** A fenced block that nothing inside can close. */
function block(text, info = '') {
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
    return [`${fence}${info}`, text, fence];
}
const longestBacktickRun = (text) => Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
function table(header, rows) {
    return [
        `| ${header.join(' | ')} |`,
        `| ${header.map(() => '---').join(' | ')} |`,
        // A `|` in a cell ends it unless escaped, even inside a code span, where GitHub unescapes it.
        ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/report/packages.ts
/**
 * The package databases that dpkg and apk keep as text files, read from an image's layers, rpm's
 * as `rpm -qa` lists it, and what changed between two of them. Their text is the image's:
 * parsed, never trusted.
 */
/** Where each manager keeps its database, as a path in a layer. */
const PACKAGE_DATABASES = {
    dpkg: 'var/lib/dpkg/status',
    apk: 'lib/apk/db/installed',
};
/** Paragraphs of `Field: value` lines (dpkg) or `X:value` lines (apk), split at blank lines. */
function stanzas(text) {
    return text
        .split(/\r?\n(?:[ \t]*\r?\n)+/)
        .map((stanza) => stanza.split(/\r?\n/).filter((line) => line.trim() !== ''))
        .filter((lines) => lines.length > 0);
}
/** dpkg's status file: the packages whose files are on disk (not those removed but configured). */
function parseDpkgStatus(text) {
    return stanzas(text).flatMap((lines) => {
        const fields = new Map();
        for (const line of lines) {
            // Continuation lines (a description's) start with white space.
            const match = /^([A-Za-z0-9-]+):[ \t]*(.*)$/.exec(line);
            if (match)
                fields.set(match[1].toLowerCase(), match[2].trim());
        }
        const name = fields.get('package');
        const version = fields.get('version');
        const state = fields.get('status')?.split(/\s+/)[2];
        if (!name || !version || !state || state === 'not-installed' || state === 'config-files')
            return [];
        const kib = Number(fields.get('installed-size'));
        return [
            {
                name,
                version,
                architecture: fields.get('architecture') ?? '',
                ...(Number.isSafeInteger(kib) && kib >= 0 && { size: kib * 1024 }),
            },
        ];
    });
}
/** apk's installed database: `P:` name, `V:` version, `A:` architecture, `I:` size in bytes. */
function parseApkInstalled(text) {
    return stanzas(text).flatMap((lines) => {
        const fields = new Map();
        for (const line of lines)
            if (line[1] === ':')
                fields.set(line[0], line.slice(2).trim());
        const name = fields.get('P');
        const version = fields.get('V');
        if (!name || !version)
            return [];
        const size = Number(fields.get('I'));
        return [
            {
                name,
                version,
                architecture: fields.get('A') ?? '',
                ...(Number.isSafeInteger(size) && size >= 0 && { size }),
            },
        ];
    });
}
const parseDatabase = (manager, text) => manager === 'dpkg' ? parseDpkgStatus(text) : parseApkInstalled(text);
/** The query format that `parseRpmList` reads: name, [epoch:]version-release, arch, size. */
const RPM_QUERY_FORMAT = '%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SIZE}\\n';
/** `rpm -qa --queryformat RPM_QUERY_FORMAT`'s lines. */
function parseRpmList(text) {
    return text.split('\n').flatMap((line) => {
        const [name, version, architecture, size] = line.split('\t');
        if (!name || !version || architecture === undefined)
            return [];
        const bytes = Number(size);
        return [
            {
                name,
                version,
                architecture,
                ...(size && Number.isSafeInteger(bytes) && bytes >= 0 && { size: bytes }),
            },
        ];
    });
}
/** What the second database has that the first had not, has no more, or has in another version. */
function diffPackages(manager, before, after) {
    const key = (p) => `${p.name}\0${p.architecture}`;
    const old = new Map(before.map((p) => [key(p), p]));
    const now = new Map(after.map((p) => [key(p), p]));
    const compare = COMPARE[manager];
    const changes = { manager, added: [], removed: [], upgraded: [], downgraded: [] };
    for (const [k, p] of now) {
        const was = old.get(k);
        if (!was)
            changes.added.push(p);
        else if (was.version !== p.version) {
            const change = {
                name: p.name,
                architecture: p.architecture,
                from: was.version,
                to: p.version,
            };
            (compare(was.version, p.version) > 0 ? changes.downgraded : changes.upgraded).push(change);
        }
    }
    for (const [k, p] of old)
        if (!now.has(k))
            changes.removed.push(p);
    const byName = (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    for (const list of Object.values(changes))
        if (Array.isArray(list))
            list.sort(byName);
    return changes;
}
const COMPARE = {
    dpkg: (a, b) => compareDebianVersions(a, b),
    apk: (a, b) => compareApkVersions(a, b),
    rpm: (a, b) => compareRpmVersions(a, b),
};
/**
 * Debian's version order (deb-version(7)): the epoch as a number, then the upstream version
 * and the revision, each in runs of non-digits, where `~` sorts before anything, even the end,
 * and letters before other characters, and runs of digits compared as numbers.
 */
function compareDebianVersions(a, b) {
    const [ea, ua, ra] = debianParts(a);
    const [eb, ub, rb] = debianParts(b);
    return Math.sign(ea - eb) || compareDebianPart(ua, ub) || compareDebianPart(ra, rb);
}
function debianParts(version) {
    const colon = version.indexOf(':');
    const epoch = colon > 0 ? Number(version.slice(0, colon)) || 0 : 0;
    const rest = version.slice(colon + 1);
    const dash = rest.lastIndexOf('-');
    return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}
const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
function debianOrder(c) {
    if (c === undefined || isDigit(c))
        return 0;
    if (c === '~')
        return -1;
    if (/[A-Za-z]/.test(c))
        return c.charCodeAt(0);
    return c.charCodeAt(0) + 256;
}
/** dpkg's verrevcmp. */
function compareDebianPart(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
            const difference = debianOrder(a[i]) - debianOrder(b[j]);
            if (difference)
                return Math.sign(difference);
            i++;
            j++;
        }
        while (a[i] === '0')
            i++;
        while (b[j] === '0')
            j++;
        let first = 0;
        while (isDigit(a[i]) && isDigit(b[j])) {
            first ||= a.charCodeAt(i) - b.charCodeAt(j);
            i++;
            j++;
        }
        if (isDigit(a[i]))
            return 1;
        if (isDigit(b[j]))
            return -1;
        if (first)
            return Math.sign(first);
    }
    return 0;
}
// apk's suffixes: the first four sort before a version without one, the others after it.
const APK_SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const APK_VERSION = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/;
/**
 * apk's version order (apk-tools' version.c): numbers by dots (after the first, one with a
 * leading zero compares as a decimal fraction), a letter, suffixes, the `-rN` revision. A
 * version outside that grammar compares as text.
 */
function compareApkVersions(a, b) {
    const pa = APK_VERSION.exec(a);
    const pb = APK_VERSION.exec(b);
    if (!pa || !pb)
        return a < b ? -1 : a > b ? 1 : 0;
    const na = pa[1].split('.');
    const nb = pb[1].split('.');
    for (let k = 0; k < Math.min(na.length, nb.length); k++) {
        const fractional = k > 0 && (na[k].startsWith('0') || nb[k].startsWith('0'));
        const difference = fractional
            ? Number(`0.${na[k]}`) - Number(`0.${nb[k]}`)
            : Number(na[k]) - Number(nb[k]);
        if (difference)
            return Math.sign(difference);
    }
    if (na.length !== nb.length)
        return Math.sign(na.length - nb.length);
    if (pa[2] !== pb[2])
        return pa[2] < pb[2] ? -1 : 1;
    const sa = apkSuffixes(pa[3]);
    const sb = apkSuffixes(pb[3]);
    for (let k = 0; k < Math.max(sa.length, sb.length); k++) {
        const [ka, xa] = sa[k] ?? [APK_SUFFIXES.indexOf(''), 0];
        const [kb, xb] = sb[k] ?? [APK_SUFFIXES.indexOf(''), 0];
        if (ka !== kb || xa !== xb)
            return Math.sign(ka - kb || xa - xb);
    }
    return Math.sign(Number(pa[4] ?? 0) - Number(pb[4] ?? 0));
}
function apkSuffixes(text) {
    return [...text.matchAll(/_([a-z]+)(\d*)/g)].map(([, name, n]) => [
        APK_SUFFIXES.indexOf(name),
        Number(n || 0),
    ]);
}
/** rpm's order of `[epoch:]version-release`: the epoch as a number, then rpmvercmp of each. */
function compareRpmVersions(a, b) {
    const [ea, va, ra] = rpmParts(a);
    const [eb, vb, rb] = rpmParts(b);
    return Math.sign(ea - eb) || rpmvercmp(va, vb) || rpmvercmp(ra, rb);
}
function rpmParts(evr) {
    const colon = evr.indexOf(':');
    const epoch = colon > 0 ? Number(evr.slice(0, colon)) || 0 : 0;
    const rest = evr.slice(colon + 1);
    const dash = rest.lastIndexOf('-');
    return dash >= 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}
const isAlnum = (c) => c !== undefined && /[A-Za-z0-9]/.test(c);
/**
 * rpm's rpmvercmp: runs of digits (as numbers) or of letters, anything else separates them;
 * `~` sorts before everything, even the end, `^` after the end but before anything else.
 */
function rpmvercmp(a, b) {
    if (a === b)
        return 0;
    let i = 0;
    let j = 0;
    for (;;) {
        while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^')
            i++;
        while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^')
            j++;
        if (a[i] === '~' || b[j] === '~') {
            if (a[i] !== '~')
                return 1;
            if (b[j] !== '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (a[i] === '^' || b[j] === '^') {
            if (i >= a.length)
                return -1;
            if (j >= b.length)
                return 1;
            if (a[i] !== '^')
                return 1;
            if (b[j] !== '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (i >= a.length || j >= b.length)
            break;
        const numeric = isDigit(a[i]);
        const run = numeric ? /^\d+/ : /^[A-Za-z]+/;
        const x = run.exec(a.slice(i))?.[0] ?? '';
        const y = run.exec(b.slice(j))?.[0] ?? '';
        // A number sorts after letters.
        if (!y)
            return numeric ? 1 : -1;
        i += x.length;
        j += y.length;
        const difference = numeric
            ? compareDigits(x.replace(/^0+/, ''), y.replace(/^0+/, ''))
            : x < y
                ? -1
                : x > y
                    ? 1
                    : 0;
        if (difference)
            return difference;
    }
    if (i >= a.length && j >= b.length)
        return 0;
    return i >= a.length ? -1 : 1;
}
const compareDigits = (x, y) => Math.sign(x.length - y.length) || (x < y ? -1 : x > y ? 1 : 0);

;// CONCATENATED MODULE: ./src/report/layer-report.ts



const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const RPM_DATABASES = ['var/lib/rpm', 'usr/lib/sysimage/rpm'];
const LARGEST = 10;
/** `./usr/bin/` → `usr/bin`. */
const normalize = (name) => name.replace(/^(?:\.?\/)+/, '').replace(/\/+$/, '');
const parentOf = (path) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const baseName = (path) => path.slice(path.lastIndexOf('/') + 1);
const within = (path, folder) => folder === '' || path === folder || path.startsWith(`${folder}/`);
const DATABASE_PATHS = new Map(Object.entries(PACKAGE_DATABASES).map(([manager, path]) => [path, manager]));
/** A package database of dpkg's or apk's is at most this large: more is not read. */
const DATABASE_LIMIT = 64 * 1024 * 1024;
/** Whether scanLayer needs an entry's content: a package database's. */
const wantsContent = (name) => DATABASE_PATHS.has(normalize(name));
/** Whether removing this path removes some of rpm's database. */
const touchesRpm = (removed) => RPM_DATABASES.some((folder) => within(removed, folder) || within(folder, removed));
/**
 * Reads a layer's entries as they stream: headers only, but for the package databases. A base
 * layer, which matters only for those, need not keep its list of files.
 */
async function scanLayer(entries, { files = true } = {}) {
    const scan = { files: [], removed: [], opaque: [], databases: new Map(), rpm: false };
    for await (const entry of entries) {
        const path = normalize(entry.name);
        const name = baseName(path);
        if (name === OPAQUE) {
            scan.opaque.push(parentOf(path));
            scan.rpm ||= touchesRpm(parentOf(path));
        }
        else if (name.startsWith(WHITEOUT)) {
            // `.wh..wh.*` others are aufs' own bookkeeping, not removals.
            if (name.startsWith(`${WHITEOUT}${WHITEOUT}`))
                continue;
            const removed = [parentOf(path), name.slice(WHITEOUT.length)].filter(Boolean).join('/');
            scan.removed.push(removed);
            scan.rpm ||= touchesRpm(removed);
        }
        else if (entry.type !== 'directory') {
            if (files)
                scan.files.push({ path, size: entry.type === 'file' ? entry.size : 0 });
            scan.rpm ||= RPM_DATABASES.some((folder) => within(path, folder));
            const manager = DATABASE_PATHS.get(path);
            if (manager)
                scan.databases.set(manager, entry.content?.toString('utf8') ?? null);
        }
    }
    return scan;
}
/** Whether a layer hides `path` of the layers below it. */
const hides = (layer, path) => layer.removed.some((removed) => within(path, removed)) ||
    layer.opaque.some((folder) => within(path, folder) && path !== folder);
/**
 * A package database as the layers leave it: the last layer's version of the file, unless a
 * later layer removed it. undefined: none; null: something there, but not a file to read.
 */
function databaseIn(layers, manager) {
    const path = PACKAGE_DATABASES[manager];
    let text;
    for (const layer of layers) {
        // A layer's whiteouts apply to the layers below it, not to its own files.
        if (hides(layer, path))
            text = undefined;
        if (layer.databases.has(manager))
            text = layer.databases.get(manager);
    }
    return text;
}
/**
 * The report on the layers above the first `baseLayers` of an image's layers, bottom first.
 * rpm's changes are not in it: its database is binary (see `rpmChanges`).
 */
function layerReport(layers, baseLayers) {
    const base = layers.slice(0, baseLayers);
    const added = layers.slice(baseLayers);
    const files = added.flatMap((layer) => layer.files);
    const packages = [];
    const packageNotes = [];
    for (const manager of Object.keys(PACKAGE_DATABASES)) {
        const path = `/${PACKAGE_DATABASES[manager]}`;
        const before = databaseIn(base, manager);
        if (!added.some((layer) => layer.databases.has(manager) || hides(layer, path.slice(1)))) {
            if (before !== undefined)
                packages.push(diffPackages(manager, [], []));
            continue;
        }
        const after = databaseIn(layers, manager);
        if (before === null || after === null)
            packageNotes.push(`${manager}: ${path} is not a regular file of at most ${DATABASE_LIMIT} bytes; its packages are not listed`);
        else if (after === undefined)
            packageNotes.push(`${manager}: the layer removes ${path}; its packages are not listed`);
        else
            packages.push(diffPackages(manager, parseDatabase(manager, before ?? ''), parseDatabase(manager, after)));
    }
    return {
        size: files.reduce((sum, file) => sum + file.size, 0),
        files: files.length,
        removed: added.reduce((sum, layer) => sum + layer.removed.length, 0),
        largest: largestPaths(files),
        packages,
        packageNotes,
        leftovers: leftovers(files),
    };
}
const newFolder = () => ({ size: 0, files: 0, entries: new Map() });
const bySize = (a, b) => b.node.size - a.node.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
/** Two lists in `bySize` order as one. */
function merge(a, b) {
    const merged = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length)
        merged.push(j >= b.length || (i < a.length && bySize(a[i], b[j]) <= 0) ? a[i++] : b[j++]);
    return merged;
}
/**
 * The largest paths, folders summed, none inside another shown. Starting from the top-level
 * entries, a folder among the largest is replaced by its entries when those of them that then
 * rank among the largest hold at least half of its bytes: a folder that is mostly one
 * subfolder or file gives way to it, one spread over many small files stays whole.
 */
function largestPaths(files, count = LARGEST) {
    const root = newFolder();
    for (const file of files) {
        let node = root;
        for (const part of ['', ...file.path.split('/')]) {
            if (part) {
                let next = node.entries.get(part);
                if (!next)
                    node.entries.set(part, (next = newFolder()));
                node = next;
            }
            node.size += file.size;
            node.files++;
        }
    }
    const open = ({ path, node }) => [...node.entries]
        .map(([name, entry]) => ({ path: `${path}/${name}`, node: entry }))
        .sort(bySize);
    let shown = open({ path: '', node: root });
    const whole = new Set();
    for (;;) {
        const folder = shown
            .slice(0, count)
            .find((item) => item.node.entries.size > 0 && item.node.size > 0 && !whole.has(item));
        if (!folder)
            break;
        const rest = shown.filter((item) => item !== folder);
        const entries = open(folder);
        const top = merge(rest.slice(0, count), entries.slice(0, count)).slice(0, count);
        const kept = top.filter((item) => entries.includes(item));
        if (kept.reduce((sum, item) => sum + item.node.size, 0) * 2 >= folder.node.size)
            shown = merge(rest, entries);
        else
            whole.add(folder);
    }
    return shown.slice(0, count).map(({ path, node }) => ({
        path: node.entries.size ? `${path}/` : path,
        size: node.size,
        files: node.files,
    }));
}
const HOME = String.raw `(?:root|home/[^/]+)`;
/**
 * What looks like something the build left behind, in order: the first that matches names the
 * path (the folder summed) that the leftover is shown as.
 */
const LEFTOVER_RULES = [
    { kind: 'apt lists', pattern: /^var\/lib\/apt\/lists(?=\/)/ },
    { kind: 'package cache', pattern: /^var\/cache\/apt\/[^/]+\.bin$/ },
    { kind: 'package cache', pattern: /^var\/cache\/(?:apt\/archives|apk|dnf|yum)(?=\/)/ },
    { kind: 'user cache', pattern: new RegExp(String.raw `^${HOME}/\.(?:cache|npm)(?=/)`) },
    { kind: 'ansible temp', pattern: new RegExp(String.raw `^${HOME}/\.ansible/tmp(?=/)`) },
    { kind: 'temp', pattern: /^(?:var\/)?tmp\/[^/]+/ },
    { kind: 'log', pattern: /^var\/log\/(?:.+\/)?[^/]+\.log(?:\.\d+)?(?:\.(?:gz|xz|bz2))?$/ },
    { kind: 'python bytecode', pattern: /^(?:.+\/)?__pycache__(?=\/)/ },
    { kind: 'python bytecode', pattern: /^.+\.py[co]$/ },
];
/**
 * Python's own library and the folders that pip and the package managers install into keep
 * their bytecode on purpose: it spares every start of the program compiling it again.
 */
const PYTHON_LIBRARY = /(?:^|\/)(?:site-packages|dist-packages|lib\/python\d[^/]*)\//;
/** Files that look like build leftovers, grouped by the folder they are in, largest first. */
function leftovers(files) {
    const groups = new Map();
    for (const file of files) {
        for (const { kind, pattern } of LEFTOVER_RULES) {
            const match = pattern.exec(file.path);
            if (!match)
                continue;
            if (kind === 'python bytecode' && PYTHON_LIBRARY.test(file.path))
                break;
            const path = `/${match[0]}${match[0] === file.path ? '' : '/'}`;
            const group = groups.get(path) ?? { path, kind, size: 0, files: 0 };
            group.size += file.size;
            group.files++;
            groups.set(path, group);
            break;
        }
    }
    return [...groups.values()]
        .filter((group) => group.size > 0)
        .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
}
/** Fails when the layer holds more than `limit` bytes, naming where they are. */
function checkLayerSize(report, limit) {
    if (report.size <= limit)
        return;
    const largest = report.largest
        .slice(0, 5)
        // JSON quotes show a path's control characters instead of obeying them.
        .map((entry) => `${JSON.stringify(entry.path)} ${humanBytes(entry.size)}`)
        .join(', ');
    throw new Error(`The layer the build added holds ${humanBytes(report.size)} (${report.size} bytes), more than max-layer-size allows: ${humanBytes(limit)} (${limit} bytes). Its largest paths: ${largest}`);
}
const SHOWN_ROWS = 50;
/** More rows than a summary should hold are left to the `metadata` output. */
function capped(rows, render, width) {
    const shown = rows.slice(0, SHOWN_ROWS).map(render);
    if (rows.length > SHOWN_ROWS)
        shown.push([
            `… and ${rows.length - SHOWN_ROWS} more in the \`metadata\` output`,
            ...Array(width - 1).fill(''),
        ]);
    return shown;
}
const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
/** The job summary's section on the layer; of one platform's image, when there are several. */
function layerSection(report, platform) {
    const parts = [
        `### What the added layer holds${platform ? ` (${code(platform)})` : ''}`,
        '',
        `${humanBytes(report.size)} in ${count(report.files, 'file')}${report.removed ? `; it removes ${count(report.removed, 'path')} of the base` : ''}.`,
        '',
    ];
    if (report.largest.length)
        parts.push(table(['largest paths', 'size', 'files'], report.largest.map((entry) => [
            code(entry.path),
            humanBytes(entry.size),
            String(entry.files),
        ])));
    for (const changes of report.packages)
        parts.push(...packagesSection(changes));
    if (!report.packages.length && !report.packageNotes.length)
        parts.push('No package database of dpkg, apk or rpm in the image.', '');
    // A note may quote what a command in the image printed.
    if (report.packageNotes.length)
        parts.push(...report.packageNotes.map((note) => `- ${code(note)}`), '');
    if (report.leftovers.length) {
        const total = report.leftovers.reduce((sum, leftover) => sum + leftover.size, 0);
        parts.push(`#### Possible build leftovers: ${humanBytes(total)}`, '', table(['path', 'what', 'size', 'files'], capped(report.leftovers, (leftover) => [
            code(leftover.path),
            leftover.kind,
            humanBytes(leftover.size),
            String(leftover.files),
        ], 4)));
    }
    return parts;
}
function packagesSection(changes) {
    const { added, removed, upgraded, downgraded } = changes;
    const heading = `#### Packages (${changes.manager})`;
    if (!added.length && !removed.length && !upgraded.length && !downgraded.length)
        return [heading, '', 'No package added, removed or changed.', ''];
    const size = (bytes) => (bytes === undefined ? '' : humanBytes(bytes));
    const rows = [
        ...added.map((p) => [p.name, 'added', code(p.version), size(p.size)]),
        ...upgraded.map((c) => [c.name, 'upgraded', `${code(c.from)} → ${code(c.to)}`, '']),
        ...downgraded.map((c) => [c.name, 'downgraded', `${code(c.from)} → ${code(c.to)}`, '']),
        ...removed.map((p) => [p.name, 'removed', code(p.version), size(p.size)]),
    ];
    return [
        heading,
        '',
        `${added.length} added, ${upgraded.length} upgraded, ${downgraded.length} downgraded, ${removed.length} removed.`,
        '',
        table(['package', 'change', 'version', 'installed size'], capped(rows, ([name, ...rest]) => [code(name), ...rest], 4)),
    ];
}

;// CONCATENATED MODULE: ./src/report/report.ts





const relative = (workspace, file) => file && external_node_path_default().isAbsolute(file) ? external_node_path_default().relative(workspace, file) : file;
/** Where the task is defined, relative to the workspace, like `roles/web/tasks/main.yml:12`. */
function taskLocation(task, workspace) {
    return task.file ? `${relative(workspace, task.file)}:${task.line ?? '?'}` : '';
}
/** Failed tasks become errors at their playbook line; Ansible's warnings become warnings. */
function taskAnnotations(tasks, workspace) {
    return tasks.flatMap((task) => {
        const at = {
            ...(task.file && { file: relative(workspace, task.file) }),
            ...(task.line && { line: task.line }),
        };
        const annotations = [];
        if (isFailure(task))
            annotations.push({
                level: 'error',
                title: `Task failed: ${task.name}`,
                message: task.message || task.status,
                ...at,
            });
        for (const warning of [...(task.warnings ?? []), ...(task.deprecations ?? [])])
            annotations.push({
                level: 'warning',
                title: `Ansible: ${task.name}`,
                message: warning,
                ...at,
            });
        return annotations;
    });
}
/** The services the playbook touched, what was stopped for it, and the derived run config. */
function servicesSection(services) {
    const parts = [];
    if (services.services.length)
        parts.push('### Services', '', 'Stopped before the commit; nothing of their running state is in the image.', '', table(['service', 'state when the playbook ended', 'enabled in the image'], services.services.map((service) => [
            code(service.name),
            code(service.state),
            service.enabled ? code(service.enabled) : '–',
        ])));
    const killed = [
        ...services.killed.map((name) => `${code(name)} ignored its stop signal and was killed`),
        ...services.leftovers.map((command) => `${code(command)} was left running, ignored SIGTERM and was killed`),
    ];
    if (killed.length)
        parts.push(killed.map((line) => `- ${line}`).join('\n'), '');
    const config = services.runConfig;
    if (config) {
        const rows = [
            ['CMD', code(JSON.stringify(config.cmd))],
            ...(config.user ? [['USER', code(config.user)]] : []),
            ...(config.workdir ? [['WORKDIR', code(config.workdir)]] : []),
            ...Object.keys(config.env).map((name) => ['ENV', code(name)]),
        ];
        parts.push(`### Run config from ${code(config.service)}`, '', `From ${code(config.source)}${config.supervisor ? `; the command is a supervisor script kept in the image, which runs the service in the foreground and stops it on SIGTERM` : ''}. The input \`changes\` wins where it sets the same.`, '', table(['', ''], rows));
    }
    return parts;
}
/** A row per platform: its image, how its playbook went, and its time. */
function platformsSection(builds) {
    const rows = builds.map((build) => {
        const { image, recap } = build;
        return [
            code(build.platform ?? ''),
            build.failedIn ? `❌ ${build.failedIn}` : build.cacheHit ? 'reused' : image ? 'built' : '',
            image?.id ? code(image.id) : '',
            image?.digest ? code(image.digest) : '',
            image?.size ? `${humanBytes(image.size)} (${humanBytes(image.layerSize)} added)` : '',
            recap ? `${recap.ok} ok, ${recap.changed} changed, ${recap.failed} failed` : '',
            build.seconds ? humanSeconds(build.seconds) : '',
        ];
    });
    return [
        '### Platforms',
        '',
        table(['platform', 'result', 'image ID', 'digest', 'size', 'recap', 'time'], rows),
    ];
}
/** What opens keep-failed's image in a shell, whatever its entrypoint. */
const openCommand = (reference) => `docker run --rm -it --entrypoint sh ${reference}`;
/** The failed builds' images, each with the command that opens it. */
function failedImagesSection(builds) {
    const kept = builds.filter((build) => build.failedImage);
    if (kept.length === 0)
        return [];
    return [
        '### The failed build, kept',
        '',
        'The build container as the failed task left it. It may hold secrets that the playbook wrote.',
        '',
        ...kept.flatMap((build) => {
            const image = build.failedImage;
            const where = image.pushed
                ? `pushed as ${code(image.pushed)}`
                : 'on this runner only (push-failed: false)';
            return [
                `${build.platform ? `${code(build.platform)}: ` : ''}${code(image.reference)} ${code(image.id)}${image.task ? `, after the task at ${code(image.task)}` : ''}; ${where}. Open it with:`,
                '',
                ...block(openCommand(image.pushed ?? image.reference), 'sh'),
                '',
            ];
        }),
    ];
}
/** The job summary: what was built, how the playbook went, where the time went. */
function summaryMarkdown(report, workspace) {
    const parts = [];
    if (report.failedIn) {
        parts.push(`## ❌ Image build failed in: ${report.failedIn}`, '');
        if (report.error)
            parts.push(...block(report.error), '');
    }
    else {
        parts.push(report.cacheHit ? '## ✅ Image reused (same input key)' : '## ✅ Image built', '');
    }
    const facts = [];
    const { image } = report;
    if (image) {
        if (image.tags.length)
            facts.push(['Tags', image.tags.map(code).join('<br>')]);
        if (!report.platforms)
            facts.push(['Image ID', code(image.id)]);
        if (image.digest)
            facts.push([report.index ? 'Index digest' : 'Digest', code(image.digest)]);
        if (image.pushed.length)
            facts.push([
                'Pushed',
                image.pushed.map((p) => code(`${p.reference}@${p.digest}`)).join('<br>'),
            ]);
        if (!report.platforms) {
            facts.push([
                'Size',
                `${humanBytes(image.size)} (${humanBytes(image.layerSize)} added over the base)`,
            ]);
            facts.push(['Layers', String(image.layers)]);
        }
    }
    if (report.baseImage.name)
        facts.push([
            'Base image',
            `${code(report.baseImage.name)}${report.baseImage.id ? ` ${code(report.baseImage.id)}` : ''}`,
        ]);
    if (report.tools)
        facts.push(['Packer / Ansible', `${report.tools.packer} / ${report.tools.ansible}`]);
    if (report.inputKey)
        facts.push(['Input key', code(report.inputKey)]);
    parts.push(table(['', ''], facts));
    if (report.platforms)
        parts.push(...platformsSection(report.platforms));
    if (report.rebuiltBecause?.length)
        parts.push('### Why it was built again', '', ...report.rebuiltBecause.map((line) => `- ${code(line)}`), '');
    if (report.recap) {
        const { ok, changed, failed, skipped, unreachable } = report.recap;
        parts.push('### Ansible recap', '', table(['ok', 'changed', 'failed', 'skipped', 'unreachable'], [[ok, changed, failed, skipped, unreachable].map(String)]));
    }
    const phases = Object.entries(report.phases);
    if (phases.length)
        parts.push('### Time per phase', '', table(['phase', 'time'], phases.map(([name, seconds]) => [name, humanSeconds(seconds)])));
    if (report.layer)
        parts.push(...layerSection(report.layer));
    for (const build of report.platforms ?? [])
        if (build.layer)
            parts.push(...layerSection(build.layer, build.platform));
    if (report.services)
        parts.push(...servicesSection(report.services));
    const slowest = report.tasks
        .filter((task) => task.duration !== null)
        .sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0))
        .slice(0, 10);
    if (slowest.length)
        parts.push('### Slowest tasks', '', table(['task', 'where', 'status', 'time'], slowest.map((task) => [
            code(task.name),
            code(taskLocation(task, workspace)),
            task.status,
            humanSeconds(task.duration ?? 0),
        ])));
    const failed = firstFailure({
        tasks: [report, ...(report.platforms ?? [])].flatMap((build) => build.tasks),
    });
    if (failed)
        parts.push('### First failed task', '', `Task ${code(failed.name)} at ${code(taskLocation(failed, workspace))} (${failed.status})`, '', ...block(failed.message), '');
    parts.push(...failedImagesSection([report, ...(report.platforms ?? [])]));
    if (report.config)
        parts.push('<details><summary>Build config (Packer template)</summary>', '', ...block(report.config, 'json'), '', '</details>', '');
    return parts.join('\n');
}

;// CONCATENATED MODULE: ./src/report/outputs.ts


/** A task of the playbook failed: reported where the task is defined. */
class TaskFailure extends Error {
    annotation;
    /** Where the task is defined (file:line), or empty. */
    location;
    constructor(task, workspace) {
        const where = taskLocation(task, workspace);
        super(`Task "${task.name}" failed${where && ` (${where})`}: ${task.message || task.status}`);
        const [annotation] = taskAnnotations([task], workspace);
        this.annotation = { ...annotation, message: this.message };
        this.location = where;
    }
}
function annotate(annotation) {
    const properties = {
        title: annotation.title,
        ...(annotation.file && { file: annotation.file }),
        ...(annotation.line && { startLine: annotation.line }),
    };
    if (annotation.level === 'error')
        core/* error */.z3(annotation.message, properties);
    else
        core/* warning */.$e(annotation.message, properties);
}
/** The tasks' warnings as annotations at their lines, and the job summary when asked for. */
async function publishReport(report, workspace, summary) {
    const tasks = [report, ...(report.platforms ?? [])].flatMap((build) => build.tasks);
    for (const warning of taskAnnotations(tasks, workspace))
        if (warning.level === 'warning')
            annotate(warning);
    setFailedImageOutput(report);
    if (!summary)
        return;
    try {
        await core/* summary */.z.addRaw(summaryMarkdown(report, workspace), true).write();
    }
    catch (error) {
        core/* warning */.$e(`Could not write the job summary: ${error.message}`);
    }
}
/** keep-failed's images, where a task failed: pushed, or else local. */
function setFailedImageOutput(report) {
    const images = [report, ...(report.platforms ?? [])].flatMap(({ failedImage }) => failedImage ? [failedImage.pushed ?? failedImage.reference] : []);
    if (images.length)
        core/* setOutput */.uH('failed-image', images.join('\n'));
}
/** The step's outputs, from the report of a build that succeeded. */
function setOutputs(report) {
    const image = report.image;
    const outputs = {
        'image-id': image.id,
        digest: image.digest,
        size: image.size,
        'layer-size': image.layerSize,
        layers: image.layers,
        tags: image.tags.join('\n'),
        'packer-version': report.tools?.packer ?? '',
        'ansible-version': report.tools?.ansible ?? '',
        'input-key': report.inputKey ?? '',
        'cache-hit': report.cacheHit ?? false,
        'export-path': report.export?.path ?? '',
    };
    for (const [name, value] of Object.entries(outputs))
        core/* setOutput */.uH(name, value);
    core/* setOutput */.uH('metadata', {
        imageId: image.id,
        digest: image.digest,
        size: image.size,
        layerSize: image.layerSize,
        layers: image.layers,
        tags: image.tags,
        pushed: image.pushed,
        baseImage: report.baseImage,
        packerVersion: outputs['packer-version'],
        ansibleVersion: outputs['ansible-version'],
        inputKey: outputs['input-key'],
        cacheHit: outputs['cache-hit'],
        ...(report.rebuiltBecause?.length && { rebuiltBecause: report.rebuiltBecause }),
        ...(report.pushedByDigest && { pushedByDigest: report.pushedByDigest }),
        ...(report.index && { index: report.index }),
        ...(report.platforms && { platforms: report.platforms.map(platformMetadata) }),
        recap: report.recap ?? null,
        phases: report.phases,
        services: report.services?.services ?? [],
        ...(report.services?.runConfig && { runConfig: report.services.runConfig }),
        ...(report.layer && { layer: report.layer }),
        tasks: report.tasks.map((task) => ({
            name: task.name,
            file: task.file,
            line: task.line,
            status: task.status,
            duration: task.duration,
        })),
    });
    if (report.platforms) {
        core/* info */.pq(`${report.index ? `Index ${report.index.digest}` : 'Images'} for ${report.platforms
            .map((build) => `${build.platform} ${build.image?.digest || build.image?.id}`)
            .join(', ')}`);
        return;
    }
    core/* info */.pq(`${report.cacheHit ? 'Reused' : 'Built'} ${image.id}: ${image.layers} layers, ${image.layerSize} bytes added over ${report.baseImage.name}`);
}
/** What `metadata` says of one platform's image. */
function platformMetadata(build) {
    return {
        platform: build.platform,
        imageId: build.image?.id ?? '',
        digest: build.image?.digest ?? '',
        size: build.image?.size ?? 0,
        layerSize: build.image?.layerSize ?? 0,
        tags: build.image?.tags ?? [],
        pushed: build.pushedByDigest ?? build.image?.pushed.map((p) => `${p.reference}@${p.digest}`) ?? [],
        baseImage: build.baseImage,
        inputKey: build.inputKey ?? '',
        cacheHit: build.cacheHit ?? false,
        recap: build.recap ?? null,
        phases: build.phases,
        ...(build.layer && { layer: build.layer }),
    };
}

;// CONCATENATED MODULE: ./src/version.ts
/** This action's own version, part of every input key: a new release builds anew. */
const ACTION_VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/reuse/ignore.ts

/**
 * The rules of one `.gitignore` in folder `base`, as gitignore(5) reads them. Not handled:
 * `core.ignoreCase` (Linux runners are case-sensitive) and a trailing `\\ ` after an escaped
 * backslash.
 */
function parseGitignore(text, base) {
    const rules = [];
    for (const raw of text.split('\n')) {
        let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        let end = line.length;
        while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\')
            end--;
        line = line.slice(0, end);
        if (line === '' || line.startsWith('#'))
            continue;
        const negate = line.startsWith('!');
        if (negate)
            line = line.slice(1);
        const directoryOnly = line.endsWith('/');
        if (directoryOnly)
            line = line.replace(/\/+$/, '');
        if (line === '')
            continue;
        // A slash at the start or in the middle anchors the pattern to the file's folder;
        // otherwise it matches at any depth below it.
        const anchored = line.includes('/');
        const glob = anchored ? line.replace(/^\//, '') : `**/${line}`;
        rules.push({ pattern: globToRegExp(glob), negate, directoryOnly, base });
    }
    return rules;
}
/**
 * The rules of a `.dockerignore` at the root, as Docker's patternmatcher reads them: every
 * pattern is cleaned and anchored at the root, and a trailing slash does not restrict it to
 * folders. Simplified: `**` only as a whole path segment (Docker also lets `a**b` cross
 * slashes), `[!…]` is a negated class as in git (Go's `filepath.Match` only knows `[^…]`), and
 * a pattern with an unclosed `[` matches nothing (Docker refuses the file).
 */
function parseDockerignore(text) {
    const rules = [];
    for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
        let line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const negate = line.startsWith('!');
        if (negate)
            line = line.slice(1).trim();
        line = external_node_path_default().posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
        if (line === '' || line === '.')
            continue;
        rules.push({ pattern: globToRegExp(line), negate, directoryOnly: false, base: '' });
    }
    return rules;
}
/** Whether git leaves `file` (relative to the root) out: the last rule that matches decides. */
function gitIgnored(rules, file, isDirectory) {
    for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i];
        if (rule.directoryOnly && !isDirectory)
            continue;
        if (!file.startsWith(rule.base))
            continue;
        if (rule.pattern.test(file.slice(rule.base.length)))
            return !rule.negate;
    }
    return false;
}
/**
 * Whether Docker leaves `file` out of the context: a rule that matches the path or any folder
 * above it counts, and the last one that counts decides (so `!` can bring back a file inside a
 * folder that an earlier line left out).
 */
function dockerIgnored(rules, file) {
    const candidates = [file];
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1))
        candidates.push(file.slice(0, slash));
    for (let i = rules.length - 1; i >= 0; i--)
        if (candidates.some((candidate) => rules[i].pattern.test(candidate)))
            return !rules[i].negate;
    return false;
}
const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
const literal = (text) => text.replace(REGEXP_SPECIAL, '\\$&');
/** A glob over `/`-separated paths, anchored at both ends, with `**` as a whole segment. */
function globToRegExp(glob) {
    let source = '';
    for (let i = 0; i < glob.length; i++) {
        const char = glob[i];
        if (char === '*') {
            const segmentStart = i === 0 || glob[i - 1] === '/';
            if (glob[i + 1] === '*' && segmentStart && (i + 2 === glob.length || glob[i + 2] === '/')) {
                // `**/` is any number of folders, none included; a final `**` is everything below.
                source += i + 2 === glob.length ? '.*' : '(?:.*/)?';
                i += 2;
                continue;
            }
            while (glob[i + 1] === '*')
                i++;
            source += '[^/]*';
        }
        else if (char === '?')
            source += '[^/]';
        else if (char === '[') {
            const parsed = characterClass(glob, i);
            // git's wildmatch matches nothing with an unclosed `[` (Docker refuses the pattern).
            if (!parsed)
                return NOTHING;
            source += parsed.source;
            i = parsed.end;
        }
        else if (char === '\\' && i + 1 < glob.length)
            source += literal(glob[++i]);
        else
            source += literal(char);
    }
    return new RegExp(`^${source}$`);
}
const NOTHING = /(?!)/;
/** `[…]` starting at `start`, or undefined when it never closes. */
function characterClass(glob, start) {
    let i = start + 1;
    const negate = glob[i] === '!' || glob[i] === '^';
    if (negate)
        i++;
    let body = '';
    // A `]` right after the opening is a member, not the end.
    for (let first = true; i < glob.length; i++, first = false) {
        const char = glob[i];
        if (char === ']' && !first)
            return { source: `[${negate ? '^/' : ''}${body}]`, end: i };
        if (char === '\\' && i + 1 < glob.length)
            body += literal(glob[++i]);
        else
            body += char === '-' ? '-' : literal(char);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/reuse/files.ts




/** How long the walk may hold the event loop before it lets other work run. */
const SLICE_MS = 20;
const CHUNK = 1024 * 1024;
/** Never following a link, nor waiting on a FIFO, that took a file's place since the listing. */
const OPEN_FLAGS = external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK;
/** By UTF-16 code unit: the same order on every runner, whatever its locale. */
const byPath = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/**
 * Every file under `root` that the build can read, sorted by path: without `.git`, what
 * `.gitignore` files (at every level) or a root `.dockerignore` leave out, and empty folders
 * (git keeps none; Docker would send them, but a playbook rarely reads one). A link is hashed
 * as the text of its target, never followed, so nothing outside `root` is read. Throws, naming
 * the path, on anything it cannot read or hash (a FIFO, socket or device among them): a key
 * over part of the workspace could reuse a stale image.
 *
 * Files are read one at a time with synchronous calls, in slices between which the event loop
 * runs. On a 2-core runner that was about twice as fast as 16 reads at a time through libuv's
 * thread pool (fs/promises: 2–3 times), and 2 to 4 worker threads were no faster than one:
 * the per-call overhead outweighs the parallel reads.
 */
async function workspaceFiles(root, options = {}) {
    const hash = options.hashFile ?? hashRegularFile;
    const dockerRules = parseDockerignore(readIgnoreFile(external_node_path_default().join(root, '.dockerignore')) ?? '');
    // Docker re-includes `!` lines below an excluded folder, so only without them may a walk skip it.
    const dockerPrunes = !dockerRules.some((rule) => rule.negate);
    const files = [];
    let sliceStart = performance.now();
    const walk = async (folder, inherited) => {
        const full = external_node_path_default().join(root, folder);
        let entries;
        try {
            entries = (0,external_node_fs_.readdirSync)(full, { withFileTypes: true });
        }
        catch (error) {
            throw new Error(`Cannot list ${full} for the input key`, { cause: error });
        }
        const base = folder === '' ? '' : `${folder}/`;
        const gitignore = entries.some((entry) => entry.name === '.gitignore' && entry.isFile());
        const rules = gitignore
            ? [...inherited, ...parseGitignore(readIgnoreFile(external_node_path_default().join(full, '.gitignore')) ?? '', base)]
            : inherited;
        for (const entry of entries) {
            if (entry.name === '.git')
                continue;
            const file = base + entry.name;
            const isDirectory = entry.isDirectory();
            if (gitIgnored(rules, file, isDirectory))
                continue;
            const dockerExcluded = dockerRules.length > 0 && dockerIgnored(dockerRules, file);
            if (isDirectory) {
                if (!(dockerExcluded && dockerPrunes))
                    await walk(file, rules);
            }
            else if (dockerExcluded)
                continue;
            else if (entry.isFile())
                files.push(hashFile(root, file, hash));
            else if (entry.isSymbolicLink())
                files.push(hashLink(root, file));
            else
                throw new Error(`${external_node_path_default().join(root, file)} is neither a file, a folder nor a link: the input key cannot hash it`);
            if (performance.now() - sliceStart > SLICE_MS) {
                await new Promise(setImmediate);
                sliceStart = performance.now();
            }
        }
    };
    await walk('', []);
    return files.sort(([a], [b]) => byPath(a, b));
}
function hashFile(root, file, hash) {
    const full = external_node_path_default().join(root, file);
    try {
        const { digest, executable } = hash(full);
        return [file, digest, executable];
    }
    catch (error) {
        throw new Error(`Cannot read ${full} for the input key`, { cause: error });
    }
}
/** Distinct from any file's digest, so that a link and a file holding its target differ. */
function hashLink(root, file) {
    const full = external_node_path_default().join(root, file);
    try {
        const target = (0,external_node_fs_.readlinkSync)(full);
        return [file, (0,external_node_crypto_.createHash)('sha256').update(`symlink\0${target}`).digest('hex'), false];
    }
    catch (error) {
        throw new Error(`Cannot read the link ${full} for the input key`, { cause: error });
    }
}
function hashRegularFile(file) {
    const fd = (0,external_node_fs_.openSync)(file, OPEN_FLAGS);
    try {
        const info = (0,external_node_fs_.fstatSync)(fd);
        if (!info.isFile())
            throw new Error('it is no longer a regular file');
        const hash = (0,external_node_crypto_.createHash)('sha256');
        // One read for most files; a large one goes by chunks, never whole into memory.
        const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(info.size, CHUNK)));
        for (let read; (read = (0,external_node_fs_.readSync)(fd, buffer, 0, buffer.length, null)) > 0;)
            hash.update(buffer.subarray(0, read));
        return { digest: hash.digest('hex'), executable: (info.mode & 0o111) !== 0 };
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * An ignore file's text, or undefined when there is none. A link in its place counts as none,
 * as for git since 2.32: reading it could reach outside the root.
 */
function readIgnoreFile(file) {
    try {
        const fd = (0,external_node_fs_.openSync)(file, OPEN_FLAGS);
        try {
            return (0,external_node_fs_.readFileSync)(fd, 'utf8');
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'ELOOP')
            return undefined;
        throw new Error(`Cannot read ${file} for the input key`, { cause: error });
    }
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./src/reuse/input-key.ts



/**
 * Bumped when what goes into the key changes, so that an image keyed the old way is a miss
 * that says why, never a false hit.
 */
const SCHEME = 1;
function inputKey(sources) {
    const parts = {
        files: input_key_sha256(canonicalJson(sources.files)),
        galaxy: sources.galaxy,
        inputs: Object.fromEntries(Object.entries(sources.inputs)
            .filter(([, value]) => value !== undefined)
            .map(([name, value]) => [name, input_key_sha256(canonicalJson(value))])),
        base: sources.base,
        platform: sources.platform,
        tools: { ...sources.tools },
        action: sources.action,
    };
    return { key: `sha256:${input_key_sha256(canonicalJson({ scheme: SCHEME, ...parts }))}`, parts };
}
/** Short digests tell which part changed; they need not resist collisions. */
const SHORT = 12;
/** Registries and engines take far larger configs; a label this size costs nothing. */
const MANIFEST_LABEL_LIMIT = 64 * 1024;
/** The manifest, and the label text that holds it (deflated, base64), within the limit. */
function keyManifest(files, parts) {
    const shortParts = {
        ...parts,
        files: input_key_short(parts.files),
        galaxy: input_key_short(parts.galaxy),
        inputs: Object.fromEntries(Object.entries(parts.inputs).map(([k, v]) => [k, input_key_short(v)])),
    };
    const perFile = Object.fromEntries(files.map(([file, digest, executable]) => [file, input_key_short(digest) + (executable ? 'x' : '')]));
    const deepest = files.reduce((most, [file]) => Math.max(most, file.split('/').length - 1), 0);
    for (let depth = undefined;; depth = (depth ?? deepest + 1) - 1) {
        const manifest = {
            scheme: SCHEME,
            parts: shortParts,
            files: depth === undefined ? perFile : byFolder(perFile, depth),
            ...(depth === undefined ? {} : { depth }),
        };
        const label = (0,external_node_zlib_.deflateSync)(JSON.stringify(manifest), { level: 9 }).toString('base64');
        if (label.length <= MANIFEST_LABEL_LIMIT || depth === 0)
            return { manifest, label };
    }
}
function input_key_readManifest(label) {
    let manifest;
    try {
        manifest = JSON.parse((0,external_node_zlib_.inflateSync)(Buffer.from(label, 'base64'), { maxOutputLength: 16 << 20 }).toString('utf8'));
    }
    catch (error) {
        throw new Error('The input-key manifest label does not decode', { cause: error });
    }
    if (typeof manifest?.scheme !== 'number' || typeof manifest.files !== 'object')
        throw new Error('The input-key manifest label is not a manifest');
    return manifest;
}
/** At most this many paths in the line about files. */
const PATHS_SHOWN = 10;
/** One line per part that differs between the earlier image's manifest and this run's. */
function explainMiss(previous, current) {
    if (previous.scheme !== current.scheme)
        return [
            `key scheme: the earlier image was keyed by scheme ${previous.scheme}, this run by ${current.scheme}`,
        ];
    const lines = [];
    const [was, now] = [previous.parts, current.parts];
    if (was.files !== now.files)
        lines.push(filesLine(previous, current));
    if (was.galaxy !== now.galaxy)
        lines.push('Galaxy requirements: the installed content changed');
    const inputs = changedNames(was.inputs, now.inputs);
    if (inputs.length > 0)
        lines.push(`inputs: ${inputs.join(', ')}`);
    if (was.base !== now.base)
        lines.push(`base image: ${was.base} → ${now.base}`);
    if (was.platform !== now.platform)
        lines.push(`platform: ${was.platform} → ${now.platform}`);
    const versions = { ...was.tools, action: was.action };
    const newVersions = { ...now.tools, action: now.action };
    const tools = changedNames(versions, newVersions).map((name) => `${name} ${versions[name] ?? '(none)'} → ${newVersions[name] ?? '(none)'}`);
    if (tools.length > 0)
        lines.push(`tool versions: ${tools.join(', ')}`);
    return lines;
}
function filesLine(previous, current) {
    const depths = [previous.depth, current.depth].filter((depth) => depth !== undefined);
    const depth = depths.length > 0 ? Math.min(...depths) : undefined;
    // Per-file digests regroup into folders; folder digests do not regroup at another depth.
    const at = (manifest) => manifest.depth === depth
        ? manifest.files
        : manifest.depth === undefined && depth !== undefined
            ? byFolder(manifest.files, depth)
            : undefined;
    const [was, now] = [at(previous), at(current)];
    if (!was || !now)
        return 'files: changed (folder digests at different depths tell not which)';
    const changed = [];
    for (const name of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort(byPath)) {
        const shown = name || '.';
        if (!Object.hasOwn(was, name))
            changed.push(`${shown} (added)`);
        else if (!Object.hasOwn(now, name))
            changed.push(`${shown} (removed)`);
        else if (was[name] !== now[name])
            changed.push(shown);
    }
    const more = changed.length > PATHS_SHOWN ? ` and ${changed.length - PATHS_SHOWN} more` : '';
    const what = depth === undefined ? 'files' : `folders (files grouped to depth ${depth})`;
    return `${what}: ${changed.slice(0, PATHS_SHOWN).join(', ') || 'changed'}${more}`;
}
/** Names whose value was added, removed or changed, sorted. */
function changedNames(was, now) {
    return [...new Set([...Object.keys(was), ...Object.keys(now)])]
        .filter((name) => was[name] !== now[name])
        .sort(byPath);
}
/** Per-file short digests grouped into one per folder, cut at `depth` path segments. */
function byFolder(perFile, depth) {
    const folders = new Map();
    for (const [file, digest] of Object.entries(perFile)) {
        const folder = file.split('/').slice(0, -1).slice(0, depth).join('/');
        const members = folders.get(folder) ?? [];
        members.push([file, digest]);
        folders.set(folder, members);
    }
    return Object.fromEntries([...folders].map(([folder, members]) => [
        folder,
        input_key_short(input_key_sha256(canonicalJson(members.sort(([a], [b]) => byPath(a, b))))),
    ]));
}
/** JSON with every object's keys sorted, so that equal values give equal text. */
function canonicalJson(value) {
    return JSON.stringify(value, (_key, item) => item && typeof item === 'object' && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => byPath(a, b)))
        : item);
}
const input_key_sha256 = (text) => (0,external_node_crypto_.createHash)('sha256').update(text).digest('hex');
const input_key_short = (digest) => digest.slice(0, SHORT);

;// CONCATENATED MODULE: ./src/reuse/registry-reuse.ts


/**
 * Looks for an image with this key at the reference. Never throws: a registry that is down,
 * refuses, or holds something else only means a build, so every failure becomes a miss.
 */
async function findInRegistry(reference, key, labelName, auth) {
    let image;
    try {
        image = await readImage(reference, auth);
    }
    catch (error) {
        return { miss: error.message.split('\n')[0] };
    }
    if (!image)
        return { miss: `no image with this key in the registry (${reference} not found)` };
    const found = image.config.config?.Labels?.[labelName];
    if (found === undefined)
        return { miss: `${reference} in the registry has no ${labelName} label` };
    if (found !== key)
        return { miss: `${reference} in the registry was built with another key (${found})` };
    return { reference, ...image };
}
/**
 * Puts the hit's manifest under every tag with manifest PUTs, so no layer moves. A tag in
 * another repository first gets the blobs by cross-repository mounts, which work only within
 * one registry.
 */
async function retagInRegistry(hit, tags, auth) {
    const registry = registryOf(hit.reference);
    const elsewhere = tags.find((tag) => registryOf(tag) !== registry);
    if (elsewhere)
        throw new Error(`Cannot reuse ${hit.reference} for ${elsewhere}: blobs can be mounted only within one registry (${registry}), so the image must be pushed there`);
    const source = repositoryOf(hit.reference);
    const withBlobs = new Set([source]);
    const pushed = [];
    for (const reference of tags) {
        const repository = repositoryOf(reference);
        if (!withBlobs.has(repository)) {
            await mountBlobs(reference, source, hit.manifest, auth);
            withBlobs.add(repository);
        }
        pushed.push({
            reference,
            digest: await putManifest(reference, hit.manifest, hit.mediaType, auth),
        });
    }
    return pushed;
}
/**
 * What the outputs say of an image known only from its registry: its ID is the config's
 * digest, as the engine would give it; sizes are the registry's, compressed.
 */
function registryImageFacts(hit) {
    const { layers = [] } = JSON.parse(hit.manifest.toString('utf8'));
    return {
        id: hit.configDigest,
        size: layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
        layerSize: layers.at(-1)?.size ?? 0,
        layers: layers.length,
    };
}

;// CONCATENATED MODULE: ./src/reuse/reuse.ts











/** The labels by which a later run finds this image and tells what changed since. */
const KEY_LABEL = 'org.ansible-image.input-key';
const MANIFEST_LABEL = 'org.ansible-image.inputs';
/** The digest of everything that decides the image; secrets are not among its sources. */
async function imageKey(inputs, base, tools, requirements) {
    const files = await workspaceFiles(inputs.workingDirectory);
    const installed = [requirements.rolesPath, requirements.collectionsPath].filter((folder) => Boolean(folder));
    const galaxy = (await Promise.all(installed.map((folder) => (0,cache/* treeDigest */.fZ)(folder, 'content')))).join(',');
    const { key, parts } = inputKey({
        files,
        galaxy,
        inputs: {
            playbook: external_node_path_default().relative(inputs.workingDirectory, inputs.playbook),
            'extra-vars': inputs.extraVars,
            changes: inputs.changes,
            labels: inputs.labels,
            'oci-labels': inputs.ociLabels,
            'ansible-args': inputs.ansibleArgs,
            python: inputs.python,
            'cmd-from-service': inputs.cmdFromService,
            'cache-key': inputs.cacheKey || undefined,
        },
        base: baseDigest(inputs.baseImage, base.RepoDigests) ?? base.Id,
        platform: [base.Os, base.Architecture, base.Variant].filter(Boolean).join('/'),
        tools: {
            packer: tools.packer.version,
            ansible: tools.ansible.version,
            ...(tools.packer.pluginPath && {
                'docker-plugin': inputs.dockerPluginVersion,
                'ansible-plugin': inputs.ansiblePluginVersion,
            }),
        },
        action: ACTION_VERSION,
    });
    const { manifest, label } = keyManifest(files, parts);
    return {
        key,
        manifest,
        labels: [
            [KEY_LABEL, key],
            [MANIFEST_LABEL, label],
        ],
    };
}
/**
 * An image with this key that is young enough: a local one, or else, when pushing, one at the
 * first tag in its registry. A lookup that fails is one line in the log and a build.
 */
async function findReusable(engine, key, inputs) {
    const young = (created, where) => {
        const age = (Date.now() - Date.parse(created ?? '')) / 1000;
        if (inputs.cacheMaxAge === undefined || age <= inputs.cacheMaxAge)
            return true;
        core/* info */.pq(`${where} has this key but is ${Math.round(age)} s old, more than cache-max-age (${inputs.cacheMaxAge} s): building anew`);
        return false;
    };
    const [local] = await engine.imagesLabelled(KEY_LABEL, key);
    if (local && young(local.Created, `Local image ${local.Id}`)) {
        core/* info */.pq(`Reusing local image ${local.Id}: it was built from the same inputs`);
        return { local };
    }
    const [first] = inputs.tags;
    // A registry's image is reused by manifest PUTs under the tags: not what push-by-digest
    // asks for (no tag), nor an image that export could read from the engine.
    if (!inputs.push || inputs.pushByDigest || inputs.export || !first)
        return undefined;
    const found = await findInRegistry(first, key, KEY_LABEL, await maskedCredentials(first));
    if ('miss' in found) {
        showInert([`Nothing to reuse from the registry: ${found.miss}`]);
        return undefined;
    }
    if (!young(found.config.created, `${first}@${found.digest}`))
        return undefined;
    core/* info */.pq(`Reusing ${first}@${found.digest} from the registry: it was built from the same inputs`);
    return { registry: found };
}
/**
 * Why this run builds although the first tag has an image: one line per part of the key that
 * changed, from the manifest that the earlier image carries (locally, or when pushing, in the
 * registry). Nothing when there is no earlier image or it has no manifest.
 */
async function whyRebuilt(engine, key, inputs) {
    const [first] = inputs.tags;
    if (!first)
        return [];
    try {
        const local = await engine.findImage(first);
        const label = local?.Config?.Labels?.[MANIFEST_LABEL] ??
            (inputs.push
                ? (await readImage(first, await maskedCredentials(first)))?.config.config?.Labels?.[MANIFEST_LABEL]
                : undefined);
        const changed = label ? explainMiss(input_key_readManifest(label), key.manifest) : [];
        showInert(changed.map((line) => `Changed since ${first}: ${line}`));
        return changed;
    }
    catch (error) {
        showInert([`Cannot tell what changed since ${first}: ${error.message}`]);
        return [];
    }
}
/**
 * Paths from an earlier image's label (which its base image may have set), a workspace's file
 * names and a registry's answers: printed where no line of them can be a workflow command.
 */
function showInert(lines) {
    if (lines.length === 0)
        return;
    const output = new InertOutput();
    for (const line of lines)
        output.line(line);
    output.end();
}

;// CONCATENATED MODULE: ./src/failed/keep-failed.ts














/** Marks a failed build's image; its value is the failed task's file:line. */
const FAILED_LABEL = 'org.ansible-image.failed';
/**
 * The failed image runs like the base image (not Packer's `/bin/sh` loop), and carries no input
 * key: a base image that this action built has one, which the failed image would inherit and
 * under which a later run's reuse lookup would find it as a good build. A label's value cannot
 * be removed by a commit, only emptied, and no key is empty.
 */
function failedImageChanges(base, location) {
    return commitChanges(baseRunConfig(base.Config), [], [
        [KEY_LABEL, ''],
        [MANIFEST_LABEL, ''],
        [FAILED_LABEL, location],
    ]);
}
/** Longer than removing a few folders can take, even on a busy runner. */
const CLEAN_TIMEOUT_SECONDS = 60;
/** The container script's `keep`: what is ours goes, and what the playbook did stays. */
async function removeOurFiles(containerName, runId) {
    const last = new exec/* LastLines */.UR(20);
    const result = await (0,exec/* runCancellable */.o1)('docker', [
        ...['exec', '-i', '--user', '0', containerName, '/bin/sh', '-s', '--', 'keep'],
        // The script's arguments; `keep` uses only the scratch folder.
        ...['never', containerDirectory(runId), `${EXECUTOR_MOUNT}/${EXECUTOR_SOCKET}`, '', ''],
    ], {
        input: await (0,promises_.readFile)((0,assets/* assetPath */.Q)('container.sh'), 'utf8'),
        timeoutSeconds: CLEAN_TIMEOUT_SECONDS,
        onLine: (line) => last.add(line),
    });
    if (result.timedOut || result.cancelledBy || result.exitCode !== 0)
        throw new Error(`the action's files could not be removed from the container first (${result.timedOut ? `over ${CLEAN_TIMEOUT_SECONDS} s` : result.cancelledBy ? `cancelled by ${result.cancelledBy}` : `exit ${result.exitCode}`})${last.text && `:\n${last.text}`}`);
}
/**
 * keep-failed: when a task failed, the build container as that task left it becomes a local
 * image, in the report (and so in the summary and the output failed-image), pushed only with
 * push-failed. Never throws: the task's failure stays the step's error, and a commit or push
 * that fails is a warning.
 */
async function keepFailedBuild(build) {
    const { report, engine, runId, containerName, base, inputs, failure } = build;
    if (!inputs.keepFailed || !(failure instanceof TaskFailure))
        return;
    const reference = failedImageName(containerName);
    let id;
    try {
        await removeOurFiles(containerName, runId);
        id = await engine.commitContainer(containerName, reference, failedImageChanges(base, failure.location), `ansible-image: the build after the failed task${failure.location && ` at ${failure.location}`}`);
    }
    catch (error) {
        core/* warning */.$e(`Could not keep the failed build as an image: ${message(error)}`);
        return;
    }
    const pushed = inputs.pushFailed ? await pushFailed(engine, id, inputs.tags) : undefined;
    report.failedImage = { reference, id, task: failure.location, ...(pushed && { pushed }) };
    // The task's path is the workspace's and the tag the workflow's: printed inert.
    const output = new InertOutput(inputs.secrets);
    output.line(`Kept the failed build as ${reference} (${id})${failure.location && `, as the task at ${failure.location} left it`}. It may hold secrets that the playbook wrote${pushed ? `; pushed as ${pushed}` : ', and stays on this runner'}.`);
    output.line(`Open it with: ${openCommand(pushed ?? reference)}`);
    output.end();
}
/** The failed image pushed under failedPushReference; a push that fails is a warning. */
async function pushFailed(engine, id, tags) {
    const reference = failedPushReference(tags[0]);
    try {
        await engine.tag(id, reference);
        const [pushed] = await pushTags(engine, [reference]);
        return `${pushed.reference}@${pushed.digest}`;
    }
    catch (error) {
        core/* warning */.$e(`Could not push the failed build to ${reference}: ${message(error)}`);
        return undefined;
    }
    finally {
        // The tag in the user's repository is only for the push: a later `docker push --all-tags`
        // must not take the failed build along.
        await engine.untag(reference).catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/packer/packer.ts



/** Runs `packer build`, its log shown as it comes in one group per stage. */
async function packerBuild(packer, template, cwd, env, markers, secrets) {
    const log = new BuildLog('Packer', markers, secrets);
    try {
        // On an error Packer leaves the build container as it is, so that keep-failed can commit
        // it (failed/keep-failed.ts); the run's cleanup removes it by name whatever happens, and
        // Packer's temporary folder lies in the run's folder. The ansible provisioner removes its
        // own files and stops its SSH adapter either way (deferred in its Provision).
        const result = await (0,exec/* runCancellable */.o1)(packer, ['build', '-color=false', '-on-error=abort', template], { cwd, env: { CHECKPOINT_DISABLE: '1', ...env }, onLine: (line) => log.line(line) });
        return {
            ...result,
            output: log.last.text,
            stages: log.durations,
            ...(log.lastStage && { lastStage: log.lastStage }),
        };
    }
    finally {
        log.end();
    }
}
/** The committed image's ID, from the manifest post-processor's file. */
async function builtImageId(manifestPath) {
    let manifest;
    try {
        manifest = JSON.parse(await (0,promises_.readFile)(manifestPath, 'utf8'));
    }
    catch (error) {
        throw new Error(`Packer finished but wrote no readable manifest at ${manifestPath}`, {
            cause: error,
        });
    }
    const id = manifest.builds?.at(-1)?.artifact_id;
    if (!id?.startsWith('sha256:'))
        throw new Error(`Packer's manifest names no image: ${id}`);
    return id;
}
/** Packer's own error lines, for a failure that happened outside the playbook. */
function packerErrors(output) {
    const lines = output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /^(Error\b|\* |--> [\w.-]+: |Build '[^']*' errored)/.test(line));
    return [...new Set(lines)].slice(-5).join('\n');
}

;// CONCATENATED MODULE: ./src/services/after-build.ts


/** What the build-time service manager reported; a report that cannot be read is a warning. */
async function collectServices(sharedDirectory) {
    const services = await readServicesReport(sharedDirectory).catch((error) => {
        core/* warning */.$e(`Could not read the services report: ${error.message}`);
        return NO_SERVICES;
    });
    for (const name of services.killed)
        core/* warning */.$e(`${name} ignored its stop signal before the commit and was killed`);
    for (const command of services.leftovers)
        core/* warning */.$e(`A process that the playbook left running ignored SIGTERM and was killed before the commit: ${command}`);
    return services;
}
/** Gives the built image the run config derived from a service (cmd-from-service). */
async function applyRunConfig(engine, imageId, runConfig, userChanges) {
    const { changes, skipped } = runConfigChanges(runConfig, userChanges);
    if (skipped.length)
        core/* warning */.$e(`Not in the image's ENV (a Dockerfile line cannot hold their names or values): ${skipped.join(', ')}`);
    for (const change of changes)
        core/* info */.pq(change);
    return engine.recommit(imageId, changes, `cmd-from-service ${runConfig.service}`);
}

;// CONCATENATED MODULE: ./src/outcome.ts





async function readOutcome(files, secrets) {
    const events = parseEvents(await (0,promises_.readFile)(files.events, 'utf8').catch(() => ''));
    return {
        tasks: events.tasks.map((task) => redactTask(task, secrets)),
        ...(events.recap && { recap: events.recap }),
        services: await collectServices(files.executor),
    };
}
/** Why the build failed, by its most telling cause; undefined when it did not. */
function buildFailure(build, outcome, workspace) {
    if (build.cancelledBy)
        return new Error(`Cancelled (${build.cancelledBy}): Packer stopped; the build container is removed`);
    if (build.exitCode === 0)
        return undefined;
    if (outcome.services.error)
        return new Error(outcome.services.error);
    const failed = firstFailure({ tasks: outcome.tasks });
    if (failed)
        return new TaskFailure(failed, workspace);
    return new Error(`Packer build failed: ${packerErrors(build.output) || `Packer exited with code ${build.exitCode} before finishing the build; see its log above`}`);
}

;// CONCATENATED MODULE: ./src/parallel.ts
/**
 * Runs `body` on each item, at most `limit` at a time, and returns the results in the items'
 * order. After a failure no further item starts, but those running are awaited: their
 * cleanups must not race with the caller's. The first failure in time is thrown.
 */
async function eachLimited(items, limit, body) {
    const results = [];
    let next = 0;
    let failure;
    const worker = async () => {
        while (!failure && next < items.length) {
            const index = next++;
            try {
                results[index] = await body(items[index]);
            }
            catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failure)
        throw failure.error;
    return results;
}

;// CONCATENATED MODULE: ./src/docker/blob-upload.ts
















/** Blob bodies take as long as the link needs: at least this, plus a second per megabyte. */
const BLOB_TIMEOUT_BASE_MS = 30_000;
const blobTimeoutMs = (size) => BLOB_TIMEOUT_BASE_MS + Math.ceil(size / 1_000_000) * 1000;
/** Whether the repository lacks a blob. */
async function missing(send, repository, digest) {
    const response = await send(`${repositoryUrl(repository)}/blobs/${digest}`, { method: 'HEAD' });
    if (response.ok)
        return false;
    if (response.status === 404)
        return true;
    throw await refused(`Cannot look up ${digest} in ${repository}`, response);
}
/**
 * Sends a blob unless the repository has it: HEAD, then the monolithic upload of
 * distribution's spec (POST for a session, PUT of the whole body with its digest).
 */
async function upload(send, repository, blob) {
    const { digest, size } = blob.descriptor;
    if (!(await missing(send, repository, digest)))
        return false;
    const blobs = `${repositoryUrl(repository)}/blobs`;
    const opened = await send(`${blobs}/uploads/`, { method: 'POST' });
    const location = opened.headers.get('location');
    if (opened.status !== 202 || !location)
        throw await refused(`${registryOf(repository)} did not open an upload of ${digest}`, opened);
    await opened.body?.cancel();
    const target = new URL(location, `${blobs}/uploads/`);
    target.searchParams.set('digest', digest);
    const put = await send(target.href, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: await blob.body(),
        timeoutMs: blobTimeoutMs(size),
    });
    if (put.status !== 201)
        throw await refused(`${repository} refused the blob ${digest}`, put);
    await put.body?.cancel();
    const stored = put.headers.get('docker-content-digest');
    if (stored && stored !== digest)
        throw new Error(`${repository} stored the blob ${digest} as ${stored}`);
    return true;
}
/**
 * A file gzipped into another, with the compressed bytes' digest and size. zlib's gzip header
 * holds no name and a zero time, so a layer compresses to the same bytes each time, and a
 * second push finds every blob there already.
 */
async function gzipFile(source, target) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const count = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
        },
    });
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(source), (0,external_node_zlib_.createGzip)(), count, (0,external_node_fs_.createWriteStream)(target, { flags: 'wx' }));
    return { mediaType: OCI_LAYER_GZIP, digest: `sha256:${hash.digest('hex')}`, size };
}
/**
 * Compressions and uploads that run while the engine streams the next layer, on other
 * cores; the first failure for good stops the push.
 */
class Uploads {
    send;
    repository;
    sent = [];
    running = [];
    failure;
    constructor(send, repository) {
        this.send = send;
        this.repository = repository;
    }
    start(prepare) {
        this.running.push(prepare()
            .then(async (blob) => {
            const { digest } = blob.descriptor;
            const sent = await (0,retry/* withRetries */.L)(() => upload(this.send, this.repository, blob), retries(`Uploading ${digest} to ${repositoryOf(this.repository)}`));
            if (sent)
                this.sent.push(digest);
        })
            .catch((error) => void (this.failure ??= { error })));
    }
    /** Throws the first failure, if any so far. */
    check() {
        if (this.failure)
            throw this.failure.error;
    }
    async finished() {
        await Promise.all(this.running);
        this.check();
    }
}
/**
 * Uploads a local image into a repository through the registry API and puts its OCI
 * manifest there by digest, under no tag. Layers are spooled into `tmpDir` as the engine
 * streams them, and gzipped and uploaded while the next ones come; blobs the repository has are not sent again.
 */
async function pushByDigest(engine, imageId, repositoryReference, auth, tmpDir = external_node_os_default().tmpdir()) {
    // A tag in the reference would put the manifest under it: this push names none.
    const repository = (0,src_reference/* parseImageReference */.o)(repositoryReference).name;
    const uploads = new Uploads(session(registryOf(repository), auth), repository);
    const folder = await (0,promises_.mkdtemp)(external_node_path_default().join(tmpDir, 'blobs-'));
    try {
        const compressed = new Map();
        const archive = await readImageArchive(engine, imageId, {
            onLayer: async ({ diffId, stream }) => {
                uploads.check();
                // Spooled as it comes, since gzip is slower than the engine: the next layer need not
                // wait for this one's compression, which runs beside it.
                const file = external_node_path_default().join(folder, diffId.replace(':', '-'));
                await (0,external_node_stream_promises_.pipeline)(stream, (0,external_node_fs_.createWriteStream)(file, { flags: 'wx' }));
                uploads.start(async () => {
                    const descriptor = await gzipFile(file, `${file}.gz`);
                    await (0,promises_.rm)(file);
                    compressed.set(diffId, descriptor);
                    return { descriptor, body: () => (0,external_node_fs_.openAsBlob)(`${file}.gz`) };
                });
            },
        });
        const config = descriptorOf(OCI_CONFIG, archive.config);
        uploads.start(async () => ({ descriptor: config, body: async () => archive.config }));
        await uploads.finished();
        const layers = archive.diffIds.map((diffId) => compressed.get(diffId));
        const manifest = imageManifest(config, layers);
        const digest = await (0,retry/* withRetries */.L)(() => putManifest(`${repository}@${descriptorOf(OCI_MANIFEST, manifest).digest}`, manifest, OCI_MANIFEST, auth), retries(`Putting the manifest into ${repositoryOf(repository)}`));
        const blobs = new Set([config, ...layers].map((blob) => blob.digest)).size;
        const { sent } = uploads;
        core/* info */.pq(`Uploaded ${sent.length} of ${blobs} blobs to ${repository}${sent.length < blobs ? ', which had the others' : ''}`);
        return {
            digest,
            size: manifest.length,
            mediaType: OCI_MANIFEST,
            platform: configPlatform(archive.config),
            uploaded: sent,
        };
    }
    catch (error) {
        throw new Error(`Cannot push ${imageId} by digest to ${repository}: ${error.message}`, { cause: error });
    }
    finally {
        // No upload may still read a file when the folder goes.
        await uploads.finished().catch(() => undefined);
        await (0,promises_.rm)(folder, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/platforms/merge.ts




/** The rule a reference to merge breaks, or undefined: by digest, without a tag. */
function syntaxError(reference) {
    let parsed;
    try {
        parsed = (0,src_reference/* parseImageReference */.o)(reference);
    }
    catch (error) {
        return `"${reference}" is not an image reference: ${error.message}`;
    }
    if (!parsed.digest?.startsWith('sha256:'))
        return `"${reference}" must name an image by digest (repository@sha256:…), like a build's digest output`;
    if (parsed.tag !== undefined)
        return `"${reference}" must not have a tag: the digest alone names the image`;
    return undefined;
}
const repositoryName = (reference) => `${registryOf(reference)}/${repositoryOf(reference)}`;
/**
 * The index entries for images that other jobs pushed by digest: each checked to be in the
 * registry, one platform's image, of one repository with the others, and of a platform that
 * no other one has. Everything is read and nothing written, so a failure moves no tag.
 */
async function mergeEntries(references, auth) {
    if (references.length === 0)
        throw new Error('Nothing to merge: give at least one image digest');
    for (const reference of references) {
        const rule = syntaxError(reference);
        if (rule)
            throw new Error(rule);
    }
    const [first] = references;
    const other = references.find((reference) => repositoryName(reference) !== repositoryName(first));
    if (other)
        throw new Error(`${first} and ${other} are in different repositories (${repositoryName(first)} and ${repositoryName(other)}): an index names images of its own repository, so push them all to one`);
    const registry = registryOf(first);
    const send = session(registry, auth);
    const entries = [];
    for (const reference of references) {
        const read = await readManifest(reference, send, (mediaType) => {
            if (IMAGE_TYPES.includes(mediaType))
                return undefined;
            return INDEX_TYPES.includes(mediaType)
                ? `${reference} is an index (${mediaType}), not one platform's image: give the digest of each platform's image instead`
                : `${reference} has a manifest of type "${mediaType}", not an image's`;
        });
        if (!read)
            throw new Error(`${reference} is not in ${registry}: was it pushed there?`);
        const platform = statedPlatform((await readConfig(reference, read.manifest, send)).config);
        if (!platform)
            throw new Error(`The config of ${reference} states no platform`);
        const twin = entries.find((entry) => samePlatform(entry.platform, platform));
        if (twin)
            throw new Error(`${twin.reference} and ${reference} are both ${platformName(platform)} images: give one image per platform`);
        entries.push({
            reference,
            digest: read.digest,
            size: read.manifest.length,
            mediaType: read.mediaType,
            platform,
        });
    }
    return entries;
}

;// CONCATENATED MODULE: ./src/platforms/publish.ts








/**
 * One platform's build of a multi-platform image: its images go under staging tags
 * (`<tag>-<os>-<arch>`), since a tag of the engine's store holds one platform, and the final
 * tags get the index.
 */
function platformInputs(inputs, platform) {
    return { ...inputs, tags: inputs.tags.map((tag) => stagingTag(tag, platform)) };
}
/** Where a reference's repository is, as `repo@digest` references name it. */
const publish_repositoryName = (reference) => (0,src_reference/* parseImageReference */.o)(reference).name;
/**
 * Uploads an image by digest, with no tag, into each repository that the tags name; returns
 * its manifest digest and a `repository@digest` reference per repository.
 */
async function pushImageByDigest(engine, imageId, tags) {
    const references = [];
    let digest = '';
    for (const repository of new Set(tags.map(publish_repositoryName))) {
        const uploaded = await pushByDigest(engine, imageId, repository, await maskedCredentials(repository), process.env.RUNNER_TEMP || undefined);
        digest = uploaded.digest;
        references.push(`${repository}@${uploaded.digest}`);
        core/* info */.pq(`Pushed ${repository}@${uploaded.digest} (no tag)`);
    }
    return { digest, references };
}
/**
 * Once every platform's build is done: with push, one index over their images under every
 * tag (from the images in the first tag's repository); without, the images
 * stay local under their staging tags. The report's image is then the index.
 */
async function indexPlatforms(report, inputs) {
    const builds = report.platforms ?? [];
    const first = builds[0].image;
    report.image = { ...first, tags: inputs.tags, digest: '', pushed: [] };
    if (!inputs.push) {
        core/* info */.pq(`Not pushed: each platform's image stays local under its own tag (${builds
            .flatMap((build) => build.image?.tags ?? [])
            .join(', ')}), since a tag of the engine's image store holds one platform`);
        return;
    }
    // inputs.ts has checked that the tags are in one registry, where the index can be checked
    // before any tag moves.
    const { tags } = inputs;
    const auth = await maskedCredentials(tags[0]);
    const references = builds.map((build) => platformImage(build, tags[0], inputs));
    const entries = await mergeEntries(references, auth);
    const index = await putIndex(tags, entries, auth);
    report.index = { digest: index.digest, mediaType: index.mediaType };
    report.image.digest = index.digest;
    report.image.pushed.push(...index.pushed);
}
/** A platform's image in a tag's repository: pushed under its staging tag, or by digest. */
function platformImage(build, tag, inputs) {
    const repository = publish_repositoryName(tag);
    const image = build.image;
    const pushed = inputs.pushByDigest
        ? build.pushedByDigest?.find((reference) => reference.startsWith(`${repository}@`))
        : image.pushed
            .filter((staging) => publish_repositoryName(staging.reference) === repository)
            .map((staging) => `${repository}@${staging.digest}`)[0];
    if (!pushed)
        throw new Error(`The ${build.platform} image was not pushed to ${repository} (${repositoryOf(tag)}), so the index cannot name it`);
    return pushed;
}
/** Instead of a build: one index over the given images, checked first, under every tag. */
async function mergeImages(report, inputs) {
    const auth = await maskedCredentials(inputs.merge[0]);
    const entries = await mergeEntries(inputs.merge, auth);
    const index = await putIndex(inputs.tags, entries, auth);
    report.index = { digest: index.digest, mediaType: index.mediaType };
    report.platforms = entries.map((entry, n) => ({
        platform: platformName(entry.platform),
        baseImage: { name: '' },
        phases: {},
        tasks: [],
        image: {
            id: '',
            digest: entry.digest,
            size: 0,
            layerSize: 0,
            layers: 0,
            tags: [inputs.merge[n]],
            pushed: [],
        },
    }));
    report.image = {
        id: '',
        digest: index.digest,
        size: 0,
        layerSize: 0,
        layers: 0,
        tags: inputs.tags,
        pushed: index.pushed,
    };
}
/**
 * What an export holds: the image, or every platform's. A docker tarball names each by a tag
 * of its own (one platform per tag, as in the engine); an OCI layout names the index once.
 */
function exportedImages(report, inputs) {
    const builds = report.platforms ?? [report];
    return builds.map((build) => {
        const image = build.image;
        const platform = build.platform ? parsePlatform(build.platform) : undefined;
        const reference = inputs.export?.format === 'oci' ? inputs.tags[0] : image.tags[0];
        return { id: image.id, ...(platform && { platform }), ...(reference && { reference }) };
    });
}

;// CONCATENATED MODULE: ./src/run-context.ts

/**
 * What one run of the main step carries from phase to phase: the report, the time of each
 * phase, the phase that was running when something failed, and how to undo what was made.
 */
class RunContext {
    parent;
    platform;
    report = { baseImage: { name: '' }, phases: {}, tasks: [] };
    /** Where a failure happens, as the summary names it. */
    current = 'Inputs';
    /** Where the first platform that failed stopped: the others' phases no longer count. */
    pinned;
    cleanups = [];
    constructor(parent, platform) {
        this.parent = parent;
        this.platform = platform;
    }
    static start() {
        return new RunContext();
    }
    /**
     * The context of one platform's build: a report of its own, listed in this one's; phases
     * and failures named with the platform; cleanups left to this context, which outlives it.
     */
    forPlatform(platform) {
        const child = new RunContext(this, platform);
        child.report.platform = platform;
        (this.report.platforms ??= []).push(child.report);
        return child;
    }
    /** Runs a platform's build; its failure is recorded in its own report too. */
    async build(body) {
        const started = performance.now();
        try {
            return await body();
        }
        catch (error) {
            this.failed(error);
            throw error;
        }
        finally {
            this.report.seconds =
                (this.report.seconds ?? 0) + Math.round(performance.now() - started) / 1000;
        }
    }
    /** Times a phase whose output is not one group (it logs in groups of its own, or none). */
    async timed(name, title, body) {
        this.within(title);
        const started = performance.now();
        try {
            return await body();
        }
        finally {
            this.report.phases[name] = Math.round(performance.now() - started) / 1000;
        }
    }
    /** Times a phase and shows its output as one group. */
    phase(name, title, body) {
        return this.timed(name, title, () => core/* group */.Os(this.named(title), body));
    }
    /** A failure from now on happened in this step of a phase (e.g. a stage of Packer's). */
    within(title) {
        this.current = title;
        this.parent?.within(this.named(title));
    }
    /** The failing phase, as this context's failure reports it. */
    get failing() {
        return this.pinned ?? this.current;
    }
    named(title) {
        return this.platform ? `${title} (${this.platform})` : title;
    }
    /**
     * Registers how to undo something as soon as it is made; `cleanUp` runs these last first.
     * Each says whether it undid everything.
     */
    onCleanup(undo) {
        if (this.parent)
            return this.parent.onCleanup(undo);
        this.cleanups.unshift(undo);
    }
    failed(error) {
        if (this.parent)
            this.parent.pinned ??= this.named(this.current);
        this.report.failedIn = this.failing;
        this.report.error = error instanceof Error ? error.message : String(error);
        return this.report.error;
    }
    /** Runs every cleanup, even after one fails; true when all of them undid everything. */
    async cleanUp() {
        let complete = true;
        for (const undo of this.cleanups)
            complete = (await undo().catch(() => false)) && complete;
        return complete;
    }
}

;// CONCATENATED MODULE: ./src/report/tar-entries.ts
/**
 * A tar's entries read from their headers as the bytes stream, content skipped by counting
 * rather than handed on: a layer of 100 MB and 10,000 files passes in milliseconds, where a
 * general tar reader (tar-stream) spends a tenth of a second, a third of one cold, passing
 * every chunk of content through a stream of its own. Reads ustar with its prefix, pax
 * (path, linkpath, size) and GNU long names, and GNU's base-256 sizes.
 */
const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK);
/** pax and GNU long-name records: a path is at most a few kB. */
const RECORD_LIMIT = 1024 * 1024;
const TYPES = {
    '0': 'file',
    '\0': 'file',
    '7': 'file',
    '1': 'link',
    '2': 'symlink',
    '5': 'directory',
};
/** Records that describe the next entry instead of being one. */
const PAX = 'x';
const PAX_GLOBAL = 'g';
const GNU_LONG_NAME = 'L';
const GNU_LONG_LINK = 'K';
const tar_entries_text = (block, start, end) => {
    const nul = block.indexOf(0, start);
    return block.toString('utf8', start, nul >= 0 && nul < end ? nul : end);
};
function number(block, start, end) {
    // GNU base-256, for sizes past the 8 GiB that 11 octal digits hold.
    if (block[start] & 0x80) {
        let value = block[start] & 0x7f;
        for (let i = start + 1; i < end; i++)
            value = value * 256 + block[i];
        return value;
    }
    const digits = tar_entries_text(block, start, end).trim();
    if (!/^[0-7]*$/.test(digits))
        throw new Error(`a tar header holds "${digits}" as a number`);
    return digits ? parseInt(digits, 8) : 0;
}
function checksumOk(block) {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 0x20 : block[i];
    const stated = tar_entries_text(block, 148, 156).trim();
    return /^[0-7]+$/.test(stated) && parseInt(stated, 8) === sum;
}
/** `27 path=some/long/name\n` records. */
function paxRecords(data) {
    const records = new Map();
    let at = 0;
    while (at < data.length) {
        const space = data.indexOf(0x20, at);
        const length = Number(data.toString('ascii', at, space));
        if (space < 0 || !Number.isSafeInteger(length) || length <= 0)
            break;
        const record = data.toString('utf8', space + 1, at + length - 1);
        const equals = record.indexOf('=');
        if (equals > 0)
            records.set(record.slice(0, equals), record.slice(equals + 1));
        at += length;
    }
    return records;
}
/**
 * The entries of a tar as its chunks arrive. `wanted(name)` says whose content to keep, up to
 * `limit` bytes; any other content is skipped.
 */
async function* tarEntries(chunks, wanted, limit) {
    const header = Buffer.alloc(BLOCK);
    let filled = 0;
    /** Bytes of content (and padding) still to pass before the next header. */
    let skip = 0;
    /** Content being kept: of the entry to yield, or of a record about the next one. */
    let keeping;
    let pax = new Map();
    let longName;
    for await (const chunk of chunks) {
        let at = 0;
        while (at < chunk.length) {
            if (skip > 0) {
                const n = Math.min(skip, chunk.length - at);
                if (keeping && keeping.left > 0) {
                    const part = chunk.subarray(at, at + Math.min(n, keeping.left));
                    keeping.parts.push(part);
                    keeping.left -= part.length;
                }
                skip -= n;
                at += n;
                if (skip === 0 && keeping) {
                    const data = Buffer.concat(keeping.parts);
                    if (keeping.entry) {
                        keeping.entry.content = data;
                        yield keeping.entry;
                    }
                    else if (keeping.record === PAX)
                        pax = new Map([...pax, ...paxRecords(data)]);
                    else if (keeping.record === GNU_LONG_NAME)
                        longName = tar_entries_text(data, 0, data.length);
                    keeping = undefined;
                }
                continue;
            }
            const n = Math.min(BLOCK - filled, chunk.length - at);
            chunk.copy(header, filled, at, at + n);
            filled += n;
            at += n;
            if (filled < BLOCK)
                continue;
            filled = 0;
            if (header.equals(ZEROS))
                continue; // the end, or padding after it
            if (!checksumOk(header))
                throw new Error('a tar header fails its checksum');
            const flag = String.fromCharCode(header[156]);
            const ustarPrefix = 
            // POSIX ustar only: GNU's "ustar  " headers keep times where POSIX keeps the prefix.
            header.toString('latin1', 257, 263) === 'ustar\0' ? tar_entries_text(header, 345, 500) : '';
            const record = flag === PAX || flag === PAX_GLOBAL || flag === GNU_LONG_NAME || flag === GNU_LONG_LINK;
            // A pax size describes the entry it precedes, not a record between them.
            const size = pax.has('size') && !record ? Number(pax.get('size')) : number(header, 124, 136);
            if (!Number.isSafeInteger(size) || size < 0)
                throw new Error(`a tar entry's size is ${size}`);
            const padded = Math.ceil(size / BLOCK) * BLOCK;
            if (record) {
                if (size > RECORD_LIMIT)
                    throw new Error(`a tar ${flag} record of ${size} bytes`);
                // A global pax header's path would name every entry after it: no layer writes one.
                keeping =
                    flag === PAX || flag === GNU_LONG_NAME
                        ? { record: flag, parts: [], left: size }
                        : undefined;
                skip = padded;
                if (skip === 0)
                    keeping = undefined;
                continue;
            }
            const name = pax.get('path') ??
                longName ??
                (ustarPrefix ? `${ustarPrefix}/${tar_entries_text(header, 0, 100)}` : tar_entries_text(header, 0, 100));
            pax = new Map();
            longName = undefined;
            const type = TYPES[flag] ?? 'other';
            const entry = { name, size: type === 'file' ? size : 0, type };
            // As GNU tar and tar-stream read it: a folder has no content, whatever its size says.
            skip = type === 'directory' ? 0 : padded;
            if (type === 'file' && size > 0 && size <= limit && wanted(name))
                keeping = { entry, parts: [], left: size };
            else {
                if (type === 'file' && size === 0 && wanted(name))
                    entry.content = Buffer.alloc(0);
                yield entry;
            }
        }
    }
    if (filled > 0 || skip > 0)
        throw new Error('the tar ends inside an entry');
}

;// CONCATENATED MODULE: ./src/report/read-layer.ts





// rpm -qa of a few thousand packages prints some 200 kB, and takes a second under emulation.
const RPM_OUTPUT_LIMIT = 16 * 1024 * 1024;
const RPM_TIMEOUT_MS = 60_000;
/**
 * What the layers that `image` adds over `base` hold, read in one pass of `docker save`
 * through memory: every layer's headers, and the package databases' text. Base layers give the
 * databases as they were; nothing of them is kept but that.
 */
async function reportLayer(engine, image, base) {
    const [built, below] = await Promise.all([engine.inspectImage(image), engine.inspectImage(base)]);
    const baseLayers = below.RootFS?.Layers ?? [];
    if (!baseLayers.every((diffId, index) => built.RootFS?.Layers?.[index] === diffId))
        throw new Error(`${image} is not built on ${base}: its layers do not start with the base's`);
    const expected = { id: built.Id, diffIds: built.RootFS?.Layers ?? [] };
    const archive = (await engine.saveImages([built.Id]));
    let layers;
    try {
        layers = await scanLayers(archive, expected, baseLayers.length);
    }
    catch (error) {
        throw new Error(`Cannot read image ${image} from the engine: ${error.message}`, {
            cause: error,
        });
    }
    const report = layerReport(layers, baseLayers.length);
    if (layers.slice(baseLayers.length).some((layer) => layer.rpm)) {
        const baseHasRpm = layers.slice(0, baseLayers.length).some((layer) => layer.rpm);
        try {
            report.packages.push(await rpmChanges(engine, baseHasRpm ? below.Id : undefined, built.Id));
        }
        catch (error) {
            report.packageNotes.push(`rpm: its packages are not listed. ${error.message}`);
        }
    }
    return report;
}
/**
 * Each layer of an image's `docker save` archive, scanned as it streams by; of the first
 * `baseLayers`, only what their package databases need is kept.
 */
async function scanLayers(source, expected, baseLayers) {
    const scans = new Map();
    await parseImageArchive(source, expected, {
        onLayer: async (layer) => {
            const added = layer.indices.some((index) => index >= baseLayers);
            const entries = tarEntries(layer.stream, wantsContent, DATABASE_LIMIT);
            try {
                scans.set(layer.diffId, await scanLayer(entries, { files: added }));
            }
            catch (error) {
                // The archive's own faults name the layer already.
                if (error instanceof ArchiveError)
                    throw error;
                throw new Error(`Layer ${layer.indices[0] + 1}: ${error.message}`, {
                    cause: error,
                });
            }
        },
    });
    return expected.diffIds.map((diffId) => scans.get(diffId));
}
/**
 * rpm's database is binary (SQLite, Berkeley DB or ndb by distribution): rpm in the image
 * lists it, in throwaway containers without network of the base and of the result.
 */
async function rpmChanges(engine, base, image) {
    const list = async (reference) => parseRpmList(await engine.runIsolated(reference, ['rpm', '-qa', '--queryformat', RPM_QUERY_FORMAT], RPM_OUTPUT_LIMIT, RPM_TIMEOUT_MS));
    const [before, after] = await Promise.all([base ? list(base) : [], list(image)]);
    return diffPackages('rpm', before, after);
}
/**
 * The layer report once read, checked against max-layer-size. Without a budget the report is
 * only information, so failing to read it is a warning and the build stands.
 */
async function withinBudget(read, limit) {
    let report;
    try {
        report = await read;
    }
    catch (error) {
        if (limit !== undefined)
            throw error;
        core/* warning */.$e(`No report of what the layer holds: ${error.message}`);
        return undefined;
    }
    if (limit !== undefined)
        checkLayerSize(report, limit);
    return report;
}

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/outside-python/unpack.ts
var unpack = __webpack_require__(88688);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(88701);
// EXTERNAL MODULE: ./src/tools/version-cache.ts
var version_cache = __webpack_require__(20764);
;// CONCATENATED MODULE: ./src/tools/system.ts



/** `packer-version: system`: the packer on PATH. */
async function systemPacker() {
    const packer = await onPath('packer', 'packer-version');
    const output = await (0,version_cache/* versionOutput */.b)(packer, ['version']);
    return {
        path: packer,
        version: versionIn(output, /Packer v(\d+\.\d+\.\d+\S*)/, 'packer version'),
    };
}
/** `ansible-version: system`: ansible-playbook on PATH, and ansible-galaxy beside it. */
async function systemAnsible() {
    const playbook = await onPath('ansible-playbook', 'ansible-version');
    const output = await (0,version_cache/* versionOutput */.b)(playbook, ['--version']);
    const version = versionIn(output, /\[core (\d+\.\d+\.\d+\S*)\]|ansible-playbook (\d+\.\d+\.\d+\S*)/, 'ansible-playbook --version');
    const besideIt = external_node_path_default().join(external_node_path_default().dirname(playbook), 'ansible-galaxy');
    return { path: playbook, version, galaxy: besideIt };
}
async function onPath(tool, input) {
    const found = await io/* which */.K7(tool, false);
    if (!found)
        throw new Error(`${tool} is not on PATH; install it, or set ${input} to a version`);
    return found;
}
function versionIn(output, pattern, command) {
    const version = pattern.exec(output.stdout)?.slice(1).find(Boolean);
    if (!version)
        throw new Error(`Cannot read a version from \`${command}\` (exit ${output.exitCode}): ${(output.stdout + output.stderr).trim().slice(-500)}`);
    return version;
}

;// CONCATENATED MODULE: ./src/tools/tools.ts


/**
 * Packer and Ansible as the version inputs ask: from PATH (`system`) or installed. The
 * installers (openpgp, the cache clients) load only when needed: they double the bundle,
 * and loading it is part of every step's start-up time.
 */
async function findTools(inputs) {
    const [packer, ansible] = await Promise.all([
        findPacker(inputs),
        inputs.ansibleVersion === 'system'
            ? systemAnsible()
            : (await Promise.all(/* import() */[__webpack_require__.e(641), __webpack_require__.e(43)]).then(__webpack_require__.bind(__webpack_require__, 72043))).installAnsible({
                spec: inputs.ansibleVersion,
                indexUrl: inputs.pipIndexUrl,
            }),
    ]);
    return { packer, ansible };
}
/** A system Packer from 1.10 on gets its plugins the same way as one that we install. */
async function findPacker(inputs) {
    const release = {
        releasesUrl: inputs.hashicorpReleasesUrl,
        publicKey: inputs.hashicorpPublicKey,
    };
    const packer = inputs.packerVersion === 'system'
        ? await systemPacker()
        : await (await Promise.all(/* import() */[__webpack_require__.e(641), __webpack_require__.e(238), __webpack_require__.e(93)]).then(__webpack_require__.bind(__webpack_require__, 71093))).installPacker({ spec: inputs.packerVersion, ...release });
    if (!needsPlugins(packer.version))
        return packer;
    const { installPackerPlugins } = await Promise.all(/* import() */[__webpack_require__.e(641), __webpack_require__.e(238), __webpack_require__.e(944)]).then(__webpack_require__.bind(__webpack_require__, 8944));
    const pluginPath = await installPackerPlugins(packer, {
        ...release,
        dockerVersion: inputs.dockerPluginVersion,
        ansibleVersion: inputs.ansiblePluginVersion,
    });
    return { ...packer, pluginPath };
}
/** From Packer 1.10 on, the docker builder and the ansible provisioner are separate plugins. */
function needsPlugins(packerVersion) {
    return !semver_default().lt(packerVersion, '1.10.0');
}

;// CONCATENATED MODULE: ./src/main.ts




























/** Runs the build; the one place where an error becomes a failed step. */
async function run() {
    state/* markPost */.OP();
    const context = RunContext.start();
    let inputs;
    try {
        inputs = await context.phase('inputs', 'Inputs', async () => getInputs());
        await (inputs.merge.length ? main_merge(context, inputs) : build(context, inputs));
    }
    catch (error) {
        fail(error, context.failed(error));
    }
    finally {
        if (await context.cleanUp())
            state/* markCleanedUp */.Hb();
        if (inputs)
            await publishReport(context.report, inputs.workspace, inputs.summary);
    }
}
/** One image, or one per platform under an index; then the outputs. */
async function build(context, inputs) {
    // Finding the tools (ansible-playbook --version takes half a second) overlaps with the
    // engine check and the base image; each logs in its own group once it is done.
    const toolsFound = context.timed('tools', 'Packer and Ansible', () => findTools(inputs));
    toolsFound.catch(() => undefined); // awaited below; a failure must not go unhandled
    const engine = await context.phase('engine', 'Docker engine', connectEngine);
    context.report.baseImage.name = inputs.baseImage;
    const run = await startRun(context);
    // Galaxy writes into the run's folder: it starts once the bases are known, so that a base
    // that fails leaves nothing writing there while the cleanup removes it.
    const shared = () => {
        const prepared = prepare(context, inputs, toolsFound, run);
        prepared.catch(() => undefined); // each build awaits it first
        return { engine, run, prepared };
    };
    if (inputs.platforms.length < 2) {
        const [platform] = inputs.platforms;
        const base = await baseFor(context, engine, inputs, platform);
        await buildImage(context, shared(), inputs, base, platform);
    }
    else {
        const builds = inputs.platforms.map((platform) => ({
            platform,
            context: context.forPlatform(platformName(platform)),
        }));
        // Every platform's base, and whether the runner can run it, before any build: a missing
        // one fails the step in seconds rather than after the other platforms' builds.
        const bases = await eachLimited(builds, builds.length, ({ platform, context }) => context.build(() => baseFor(context, engine, inputs, platform)));
        const based = builds.map((build, n) => ({ ...build, base: bases[n] }));
        // Credentials are masked before the builds stream, which stops command processing.
        if (inputs.push)
            for (const tag of inputs.tags)
                await maskedCredentials(tag);
        const common = shared();
        await eachLimited(based, inputs.maxParallel, ({ platform, context, base }) => context.build(() => buildImage(context, common, platformInputs(inputs, platform), base, platform)));
        await context.phase('index', 'Image index', () => indexPlatforms(context.report, inputs));
    }
    if (inputs.export) {
        const target = inputs.export;
        context.report.export = await context.phase('export', 'Export', () => exportImages({ engine, images: exportedImages(context.report, inputs), ...target }));
    }
    setOutputs(context.report);
}
/** The base image (for a platform), which the runner must be able to run. */
async function baseFor(context, engine, inputs, platform) {
    const { report } = context;
    report.baseImage.name = inputs.baseImage;
    const base = await context.phase('baseImage', `Base image ${inputs.baseImage}`, () => baseImage(engine, inputs.baseImage, inputs.pull, platform));
    report.baseImage.id = base.Id;
    const cannotRun = emulationMissing(imagePlatform(base));
    if (cannotRun)
        throw new Error(cannotRun);
    return base;
}
/** The tools shown, and Galaxy's requirements installed once for every platform. */
async function prepare(context, inputs, toolsFound, run) {
    const tools = await toolsFound;
    await showTools(tools);
    context.report.tools = { packer: tools.packer.version, ansible: tools.ansible.version };
    const requirements = inputs.galaxyFile
        ? await context.phase('galaxy', 'Galaxy requirements', () => installRequirements(tools.ansible.galaxy, inputs.galaxyFile, run.directory))
        : {};
    return { tools, requirements };
}
/** The phases of one image's build, in order; each undoes what it makes through the context. */
async function buildImage(context, { engine, run, prepared }, inputs, base, platform) {
    const { report } = context;
    context.within('Packer and Ansible');
    const { tools, requirements } = await prepared;
    report.tools = { packer: tools.packer.version, ansible: tools.ansible.version };
    const builder = await startBuild(context, engine, run, inputs, base.Id, platform);
    const key = await context.phase('key', 'Input key', () => imageKey(inputs, base, tools, requirements));
    report.inputKey = key.key;
    if (inputs.cache) {
        const reusable = await context.phase('reuse', 'Reuse', async () => {
            const found = await findReusable(engine, key.key, inputs);
            if (!found)
                report.rebuiltBecause = await whyRebuilt(engine, key, inputs);
            return found;
        });
        if (reusable)
            return reuse(context, engine, reusable, inputs);
    }
    const config = await context.phase('config', 'Build config', () => writeBuildConfig({
        inputs,
        base,
        ...tools,
        requirements,
        id: run.id,
        ...builder,
        created: new Date(),
        keyLabels: key.labels,
    }));
    report.config = config.template;
    // The prepare step asks for it once it finds no Python in the image, and waits.
    const { python, files } = builder;
    const pythonAnswered = python?.answerRequests(files.executor, () => (0,unpack/* unpackPython */.T)(python, base.Id, inputs.network, builder.containerName));
    const packer = await context.timed('packer', 'Packer build', () => packerBuild(tools.packer.path, files.template, inputs.workingDirectory, config.env, builder.markers, inputs.secrets));
    await pythonAnswered?.();
    Object.assign(report.phases, packer.stages);
    if (packer.lastStage)
        context.within(STAGES[packer.lastStage]);
    const outcome = await readOutcome(files, inputs.secrets);
    Object.assign(report, outcome);
    const failure = buildFailure(packer, outcome, inputs.workspace);
    if (failure) {
        // keep-failed (#19): the container as the failed task left it, before the cleanup removes it.
        await keepFailedBuild({
            report,
            engine,
            runId: run.id,
            containerName: builder.containerName,
            base,
            inputs,
            failure,
        });
        throw failure;
    }
    const committed = await builtImageId(files.manifest);
    // The engine's docker save is most of the report's time: it overlaps the run config.
    const layerRead = context.timed('layer', 'What the layer holds', () => reportLayer(engine, committed, base.Id));
    layerRead.catch(() => undefined); // awaited below
    const { runConfig } = outcome.services;
    let imageId = committed;
    try {
        if (runConfig)
            imageId = await context.phase('runConfig', `Run config from ${runConfig.service}`, () => applyRunConfig(engine, committed, runConfig, inputs.changes));
        await python?.save();
    }
    catch (error) {
        // Its containers (rpm's) must not outlive the step's cleanup.
        await layerRead.catch(() => undefined);
        throw error;
    }
    context.within('What the layer holds');
    report.layer = await withinBudget(layerRead, inputs.maxLayerSize);
    await deliver(context, engine, imageId, inputs);
}
/** A built or a local image: tagged, pushed when asked, and reported. */
async function deliver(context, engine, imageId, inputs) {
    await context.phase('tag', 'Tag', () => tagImage(engine, imageId, inputs.tags));
    const byDigest = inputs.push && inputs.pushByDigest;
    const pushed = inputs.push && !byDigest
        ? await context.phase('push', 'Push', () => pushTags(engine, inputs.tags))
        : [];
    const uploaded = byDigest
        ? await context.phase('push', 'Push by digest', () => pushImageByDigest(engine, imageId, inputs.tags))
        : undefined;
    const image = await context.phase('inspect', 'Inspect', () => engine.builtImage(imageId));
    context.report.image = {
        ...image,
        tags: inputs.tags,
        digest: pushed[0]?.digest ?? uploaded?.digest ?? '',
        pushed,
    };
    if (uploaded)
        context.report.pushedByDigest = uploaded.references;
}
/** Instead of a build: the local image, or the registry's under every tag by manifest PUTs. */
async function reuse(context, engine, reusable, inputs) {
    context.report.cacheHit = true;
    if ('local' in reusable)
        return deliver(context, engine, reusable.local.Id, inputs);
    const hit = reusable.registry;
    const pushed = await context.phase('push', 'Push', async () => retagInRegistry(hit, inputs.tags, await maskedCredentials(hit.reference)));
    context.report.image = {
        ...registryImageFacts(hit),
        tags: inputs.tags,
        digest: pushed[0]?.digest ?? hit.digest,
        pushed,
    };
}
/** Instead of a build: one index over images that other jobs pushed, under the tags. */
async function main_merge(context, inputs) {
    await context.phase('index', 'Image index', () => mergeImages(context.report, inputs));
    setOutputs(context.report);
}
/** A failed task is annotated at its line; any other failure is one plain error. */
function fail(error, text) {
    if (error instanceof TaskFailure) {
        annotate(error.annotation);
        process.exitCode = core/* ExitCode */.yU.Failure;
    }
    else {
        core/* setFailed */.C1(text);
    }
}
async function connectEngine() {
    const engine = new docker_engine.Engine();
    core/* info */.pq(`Docker engine ${await engine.version()}`);
    return engine;
}
async function showTools({ packer, ansible }) {
    await core/* group */.Os('Packer and Ansible', async () => {
        core/* info */.pq(`Packer ${packer.version} (${packer.path})`);
        core/* info */.pq(`Ansible ${ansible.version} (${ansible.path})`);
    });
}
/**
 * The run's id and its private folder, with its cleanup registered as soon as it exists, and
 * saved for the post step in case this step never gets to it.
 */
async function startRun(context) {
    const id = (0,external_node_crypto_.randomBytes)(6).toString('hex');
    const directory = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'ansible-image-'));
    state/* saveRunDirectory */.WW(directory);
    // A process in the container may have left a root-owned file in a folder that it shared:
    // the post step tries again; the build's result stands.
    context.onCleanup(() => (0,promises_.rm)(directory, { recursive: true, force: true }).then(() => true, (error) => {
        core/* warning */.$e(`Could not remove the run's folder ${directory}: ${message(error)}`);
        return false;
    }));
    return { id, directory, containers: [] };
}
/**
 * One build's container name and files (in a folder of the run's, per platform), each with
 * its cleanup registered as soon as it exists.
 */
async function startBuild(context, engine, run, inputs, baseId, platform) {
    const suffix = platform ? `-${platformTagSuffix(platform)}` : '';
    const containerName = `ansible-image-${run.id}${suffix}`;
    const directory = platform
        ? external_node_path_default().join(run.directory, platformTagSuffix(platform))
        : run.directory;
    if (platform)
        await (0,promises_.mkdir)(directory, { mode: 0o700 });
    // Ansible gets a Python kept outside the image only if it is free to choose one.
    const python = inputs.python === 'auto' && pythonInterpreter().startsWith('auto')
        ? await cache/* PythonCache */.Nh.forImage(baseId)
        : undefined;
    if (python)
        context.onCleanup(() => python.dropIfUnused().then(() => true));
    run.containers.push(containerName);
    state/* saveContainerNames */.lc(run.containers);
    context.onCleanup(() => Promise.all([containerName, (0,unpack.unpackContainerName)(containerName)].map((name) => engine.removeContainer(name))).then(() => true, () => false));
    return { containerName, files: runFiles(directory), python, markers: new StageMarkers() };
}
async function tagImage(engine, imageId, tags) {
    for (const tag of tags) {
        await engine.tag(imageId, tag);
        core/* info */.pq(`Tagged ${tag}`);
    }
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


/***/ }),

/***/ 49809:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ withRetries)
/* harmony export */ });
/** Runs `body` until it succeeds, it fails for good, or the attempts are used up. */
async function withRetries(body, options) {
    for (let attempt = 1;; attempt++) {
        try {
            return await body();
        }
        catch (error) {
            if (attempt >= options.attempts || options.isPermanent(error))
                throw error;
            const delayMs = options.firstDelayMs * 2 ** (attempt - 1);
            options.onRetry?.(error, attempt, delayMs);
            await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
    }
}


/***/ }),

/***/ 62578:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   qP: () => (/* binding */ indexVersions),
/* harmony export */   x: () => (/* binding */ resolveVersion),
/* harmony export */   yS: () => (/* binding */ isVersionSpec)
/* harmony export */ });
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(62088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_0__);

/**
 * Picks the version that a `latest`, exact or range input means among the published ones
 * (pre-releases only when asked for by exact version). Undefined when none matches.
 */
function resolveVersion(spec, published) {
    const stable = published.filter((v) => semver__WEBPACK_IMPORTED_MODULE_0___default().valid(v) && !semver__WEBPACK_IMPORTED_MODULE_0___default().prerelease(v));
    if (spec === 'latest')
        return semver__WEBPACK_IMPORTED_MODULE_0___default().rsort(stable)[0];
    if (semver__WEBPACK_IMPORTED_MODULE_0___default().valid(spec))
        return published.includes(spec) ? spec : undefined;
    return semver__WEBPACK_IMPORTED_MODULE_0___default().maxSatisfying(stable, spec) ?? undefined;
}
/** What a version input may be; the rule that inputs.ts reports. */
function isVersionSpec(value) {
    if (value.trim() === '')
        return false;
    return value === 'latest' || value === 'system' || semver__WEBPACK_IMPORTED_MODULE_0___default().validRange(value) !== null;
}
/** Versions in the file names of a package index page (PEP 503 simple HTML). */
function indexVersions(html, project) {
    const name = project.replace(/[-_.]+/g, '[-_.]+');
    const pattern = new RegExp(`>\\s*${name}-(\\d+(?:\\.\\d+)*(?:[a-z]+\\d+)?)(?:-|\\.tar\\.gz|\\.zip)`, 'gi');
    return [...new Set([...html.matchAll(pattern)].map((m) => m[1]))].filter((v) => semver__WEBPACK_IMPORTED_MODULE_0___default().valid(v));
}


/***/ })

};
