export const id = 903;
export const ids = [903,556];
export const modules = {

/***/ 66556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Engine: () => (/* binding */ Engine)
/* harmony export */ });
/* harmony import */ var dockerode__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(39040);
/* harmony import */ var dockerode__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(dockerode__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(98286);


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
        const { tag, digest } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseImageReference */ .o)(reference);
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
        const { name, tag } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseImageReference */ .o)(reference);
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
    /** Bytes the topmost layer adds, as `docker history` reports them. */
    async topLayerSize(id) {
        const history = await this.docker.getImage(id).history();
        return history[0]?.Size ?? 0;
    }
    async tag(id, reference) {
        const { name, tag } = (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseImageReference */ .o)(reference);
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

/***/ 4903:
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
 */
class InertOutput {
    secrets;
    token = (0,external_node_crypto_.randomBytes)(16).toString('hex');
    constructor(secrets = []) {
        this.secrets = secrets;
        process.stdout.write(`::stop-commands::${this.token}\n`);
    }
    /** The line as printed. */
    line(line) {
        const text = redact(line, this.secrets);
        process.stdout.write(`${text}\n`);
        return text;
    }
    /** Resumes command processing, under a token that the output could not know. */
    end() {
        process.stdout.write(`::${this.token}::\n`);
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
const asList = (value) => typeof value === 'string' ? [value] : (value ?? null);
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
        changes: commitChanges({ entrypoint: asList(base.Config?.Entrypoint), cmd: asList(base.Config?.Cmd) }, inputs.changes, mergeLabels(oci, inputs.labels, o.keyLabels)),
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
/** Where the registry API answers for a tag's manifest. */
function manifestUrl(reference) {
    const { tag } = (0,src_reference/* parseImageReference */.o)(reference);
    return `${repositoryUrl(reference)}/manifests/${tag ?? 'latest'}`;
}
const repositoryUrl = (reference) => `${baseUrl(registryOf(reference))}/v2/${repositoryOf(reference)}`;
const sha256 = (bytes) => `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
function basic(auth) {
    return auth?.username && auth.password
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
        : undefined;
}
/** A request whose network failure names what it tried to reach, not just "fetch failed". */
async function reach(what, url, init) {
    try {
        return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    }
    catch (error) {
        const reason = error.name === 'TimeoutError'
            ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
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
    return new Error(`${what}: HTTP ${response.status}${codes.length ? ` (${codes.join(', ')})` : ''}`);
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
 * An image's manifest and config, straight from the registry and checked against their
 * digests; undefined when the registry has no such tag (404).
 */
async function readImage(reference, auth) {
    const registry = registryOf(reference);
    const send = session(registry, auth);
    const response = await send(manifestUrl(reference), { headers: { Accept: MANIFEST_TYPES } });
    if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
    }
    if (!response.ok)
        throw await refused(`Cannot read ${reference} from ${registry}`, response);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!IMAGE_TYPES.includes(mediaType)) {
        await response.body?.cancel();
        throw new Error(INDEX_TYPES.includes(mediaType)
            ? `${reference} in ${registry} is a multi-platform index (${mediaType}), which reuse does not support yet`
            : `${reference} in ${registry} has a manifest of type "${mediaType}", which reuse does not support`);
    }
    const manifest = Buffer.from(await response.arrayBuffer());
    const digest = response.headers.get('docker-content-digest');
    if (digest !== sha256(manifest))
        throw new Error(`The manifest of ${reference} from ${registry} does not match its digest ${digest ?? '(none reported)'}`);
    const configDigest = descriptors(reference, manifest).config.digest;
    const blob = await send(`${repositoryUrl(reference)}/blobs/${configDigest}`);
    if (!blob.ok)
        throw await refused(`Cannot read the config ${configDigest} of ${reference} from ${registry}`, blob);
    const bytes = Buffer.from(await blob.arrayBuffer());
    if (sha256(bytes) !== configDigest)
        throw new Error(`The config of ${reference} from ${registry} does not match its digest ${configDigest}`);
    let config;
    try {
        config = JSON.parse(bytes.toString('utf8'));
    }
    catch (error) {
        throw new Error(`The config of ${reference} from ${registry} is not JSON`, { cause: error });
    }
    return { digest, mediaType, manifest, configDigest, config };
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
/** The base image as the pull policy asks: the local one, or pulled from its registry. */
async function baseImage(engine, reference, pull) {
    const local = pull === 'always' ? undefined : await engine.findImage(reference);
    if (local)
        return local;
    if (pull === 'never')
        throw new Error(`Base image ${reference} is not present locally and pull is "never"`);
    core/* info */.pq(`Pulling ${reference}`);
    await pullImage(engine, reference);
    return engine.inspectImage(reference);
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
    const playbook = workspacePath('playbook', core/* getInput */.V4('playbook', { required: true }), workingDirectory, workspace, 'file');
    const galaxyInput = core/* getInput */.V4('galaxy-file');
    const cmdFromService = serviceName('cmd-from-service', core/* getInput */.V4('cmd-from-service'));
    const tagList = tags(core/* getInput */.V4('tags'));
    const push = inputs_boolean('push', false);
    if (push && tagList.length === 0)
        throw new InputError('push', 'true needs at least one image reference in tags');
    const cacheMaxAge = duration('cache-max-age', core/* getInput */.V4('cache-max-age'));
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

;// CONCATENATED MODULE: ./src/packer/packer.ts



/** Runs `packer build`, its log shown as it comes in one group per stage. */
async function packerBuild(packer, template, cwd, env, markers, secrets) {
    const log = new BuildLog('Packer', markers, secrets);
    try {
        const result = await (0,exec/* runCancellable */.o1)(packer, ['build', '-color=false', '-on-error=cleanup', template], { cwd, env: { CHECKPOINT_DISABLE: '1', ...env }, onLine: (line) => log.line(line) });
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
/**
 * Text from the playbook, the image or the registry, shown as a code span: no Markdown, HTML or
 * autolink in it takes effect, whatever it holds. The fence is longer than any run of
 * backticks inside.
 */
function code(text) {
    const fence = '`'.repeat(longestBacktickRun(text) + 1);
    return `${fence} ${text.replace(/\r?\n/g, ' ')} ${fence}`;
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
        facts.push(['Image ID', code(image.id)]);
        if (image.digest)
            facts.push(['Digest', code(image.digest)]);
        if (image.pushed.length)
            facts.push([
                'Pushed',
                image.pushed.map((p) => code(`${p.reference}@${p.digest}`)).join('<br>'),
            ]);
        facts.push([
            'Size',
            `${humanBytes(image.size)} (${humanBytes(image.layerSize)} added over the base)`,
        ]);
        facts.push(['Layers', String(image.layers)]);
    }
    facts.push([
        'Base image',
        `${code(report.baseImage.name)}${report.baseImage.id ? ` ${code(report.baseImage.id)}` : ''}`,
    ]);
    if (report.tools)
        facts.push(['Packer / Ansible', `${report.tools.packer} / ${report.tools.ansible}`]);
    if (report.inputKey)
        facts.push(['Input key', code(report.inputKey)]);
    parts.push(table(['', ''], facts));
    if (report.rebuiltBecause?.length)
        parts.push('### Why it was built again', '', ...report.rebuiltBecause.map((line) => `- ${code(line)}`), '');
    if (report.recap) {
        const { ok, changed, failed, skipped, unreachable } = report.recap;
        parts.push('### Ansible recap', '', table(['ok', 'changed', 'failed', 'skipped', 'unreachable'], [[ok, changed, failed, skipped, unreachable].map(String)]));
    }
    const phases = Object.entries(report.phases);
    if (phases.length)
        parts.push('### Time per phase', '', table(['phase', 'time'], phases.map(([name, seconds]) => [name, humanSeconds(seconds)])));
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
    const failed = firstFailure({ tasks: report.tasks });
    if (failed)
        parts.push('### First failed task', '', `Task ${code(failed.name)} at ${code(taskLocation(failed, workspace))} (${failed.status})`, '', ...block(failed.message), '');
    if (report.config)
        parts.push('<details><summary>Build config (Packer template)</summary>', '', ...block(report.config, 'json'), '', '</details>', '');
    return parts.join('\n');
}

;// CONCATENATED MODULE: ./src/report/outputs.ts


/** A task of the playbook failed: reported where the task is defined. */
class TaskFailure extends Error {
    annotation;
    constructor(task, workspace) {
        const where = taskLocation(task, workspace);
        super(`Task "${task.name}" failed${where && ` (${where})`}: ${task.message || task.status}`);
        const [annotation] = taskAnnotations([task], workspace);
        this.annotation = { ...annotation, message: this.message };
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
    for (const warning of taskAnnotations(report.tasks, workspace))
        if (warning.level === 'warning')
            annotate(warning);
    if (!summary)
        return;
    try {
        await core/* summary */.z.addRaw(summaryMarkdown(report, workspace), true).write();
    }
    catch (error) {
        core/* warning */.$e(`Could not write the job summary: ${error.message}`);
    }
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
        recap: report.recap ?? null,
        phases: report.phases,
        services: report.services?.services ?? [],
        ...(report.services?.runConfig && { runConfig: report.services.runConfig }),
        tasks: report.tasks.map((task) => ({
            name: task.name,
            file: task.file,
            line: task.line,
            status: task.status,
            duration: task.duration,
        })),
    });
    core/* info */.pq(`${report.cacheHit ? 'Reused' : 'Built'} ${image.id}: ${image.layers} layers, ${image.layerSize} bytes added over ${report.baseImage.name}`);
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
        return new Error(`Cancelled (${build.cancelledBy}): Packer stopped and removed the build container`);
    if (build.exitCode === 0)
        return undefined;
    if (outcome.services.error)
        return new Error(outcome.services.error);
    const failed = firstFailure({ tasks: outcome.tasks });
    if (failed)
        return new TaskFailure(failed, workspace);
    return new Error(`Packer build failed: ${packerErrors(build.output) || `Packer exited with code ${build.exitCode} before finishing the build; see its log above`}`);
}

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
function readManifest(label) {
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
    if (!inputs.push || !first)
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
        const changed = label ? explainMiss(readManifest(label), key.manifest) : [];
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

;// CONCATENATED MODULE: ./src/run-context.ts

/**
 * What one run of the main step carries from phase to phase: the report, the time of each
 * phase, the phase that was running when something failed, and how to undo what was made.
 */
class RunContext {
    report = { baseImage: { name: '' }, phases: {}, tasks: [] };
    /** Where a failure happens, as the summary names it. */
    current = 'Inputs';
    cleanups = [];
    /** Times a phase whose output is not one group (it logs in groups of its own, or none). */
    async timed(name, title, body) {
        this.current = title;
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
        return this.timed(name, title, () => core/* group */.Os(title, body));
    }
    /** A failure from now on happened in this step of a phase (e.g. a stage of Packer's). */
    within(title) {
        this.current = title;
    }
    /**
     * Registers how to undo something as soon as it is made; `cleanUp` runs these last first.
     * Each says whether it undid everything.
     */
    onCleanup(undo) {
        this.cleanups.unshift(undo);
    }
    failed(error) {
        this.report.failedIn = this.current;
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
    const context = new RunContext();
    let inputs;
    try {
        inputs = await context.phase('inputs', 'Inputs', async () => getInputs());
        await build(context, inputs);
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
/** The phases of one build, in order; each undoes what it makes through the context. */
async function build(context, inputs) {
    const { report } = context;
    report.baseImage.name = inputs.baseImage;
    // Finding the tools (ansible-playbook --version takes half a second) overlaps with the
    // engine check and the base image; each logs in its own group once it is done.
    const toolsFound = context.timed('tools', 'Packer and Ansible', () => findTools(inputs));
    toolsFound.catch(() => undefined); // awaited below; a failure must not go unhandled
    const engine = await context.phase('engine', 'Docker engine', connectEngine);
    const base = await context.phase('baseImage', `Base image ${inputs.baseImage}`, () => baseImage(engine, inputs.baseImage, inputs.pull));
    report.baseImage.id = base.Id;
    context.within('Packer and Ansible');
    const tools = await toolsFound;
    await showTools(tools);
    report.tools = { packer: tools.packer.version, ansible: tools.ansible.version };
    const run = await startRun(context, engine, base.Id, inputs);
    const requirements = inputs.galaxyFile
        ? await context.phase('galaxy', 'Galaxy requirements', () => installRequirements(tools.ansible.galaxy, inputs.galaxyFile, run.directory))
        : {};
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
        ...run,
        created: new Date(),
        keyLabels: key.labels,
    }));
    report.config = config.template;
    // The prepare step asks for it once it finds no Python in the image, and waits.
    const pythonAnswered = run.python?.answerRequests(run.files.executor, () => (0,unpack/* unpackPython */.T)(run.python, base.Id, inputs.network, run.containerName));
    const packer = await context.timed('packer', 'Packer build', () => packerBuild(tools.packer.path, run.files.template, inputs.workingDirectory, config.env, run.markers, inputs.secrets));
    await pythonAnswered?.();
    Object.assign(report.phases, packer.stages);
    if (packer.lastStage)
        context.within(STAGES[packer.lastStage]);
    const outcome = await readOutcome(run.files, inputs.secrets);
    Object.assign(report, outcome);
    const failure = buildFailure(packer, outcome, inputs.workspace);
    if (failure)
        throw failure;
    const committed = await builtImageId(run.files.manifest);
    const { runConfig } = outcome.services;
    const imageId = runConfig
        ? await context.phase('runConfig', `Run config from ${runConfig.service}`, () => applyRunConfig(engine, committed, runConfig, inputs.changes))
        : committed;
    await run.python?.save();
    await deliver(context, engine, imageId, inputs);
}
/** A built or a local image: tagged, pushed when asked, and reported. */
async function deliver(context, engine, imageId, inputs) {
    await context.phase('tag', 'Tag', () => tagImage(engine, imageId, inputs.tags));
    const pushed = inputs.push
        ? await context.phase('push', 'Push', () => pushTags(engine, inputs.tags))
        : [];
    const image = await context.phase('inspect', 'Inspect', () => engine.builtImage(imageId));
    context.report.image = { ...image, tags: inputs.tags, digest: pushed[0]?.digest ?? '', pushed };
    setOutputs(context.report);
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
 * The run's names and its private folder, each with its cleanup registered as soon as it
 * exists, and saved for the post step in case this step never gets to it.
 */
async function startRun(context, engine, baseId, inputs) {
    const id = (0,external_node_crypto_.randomBytes)(6).toString('hex');
    const containerName = `ansible-image-${id}`;
    const directory = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'ansible-image-'));
    state/* saveRunDirectory */.WW(directory);
    // A process in the container may have left a root-owned file in a folder that it shared:
    // the post step tries again; the build's result stands.
    context.onCleanup(() => (0,promises_.rm)(directory, { recursive: true, force: true }).then(() => true, (error) => {
        core/* warning */.$e(`Could not remove the run's folder ${directory}: ${message(error)}`);
        return false;
    }));
    // Ansible gets a Python kept outside the image only if it is free to choose one.
    const python = inputs.python === 'auto' && pythonInterpreter().startsWith('auto')
        ? await cache/* PythonCache */.Nh.forImage(baseId)
        : undefined;
    if (python)
        context.onCleanup(() => python.dropIfUnused().then(() => true));
    state/* saveContainerName */.gn(containerName);
    context.onCleanup(() => Promise.all([containerName, (0,unpack.unpackContainerName)(containerName)].map((name) => engine.removeContainer(name))).then(() => true, () => false));
    return {
        id,
        containerName,
        directory,
        files: runFiles(directory),
        python,
        markers: new StageMarkers(),
    };
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
/* harmony export */   o: () => (/* binding */ parseImageReference)
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
