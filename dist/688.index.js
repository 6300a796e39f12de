export const id = 688;
export const ids = [688];
export const modules = {

/***/ 25462:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ assetPath)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_1__);


/**
 * Files we hand to other programs (the container script, the Ansible callback, the executor's
 * Python). They sit in `assets/` next to the bundle: scripts/copy-assets.mjs copies src/assets/
 * there, and each feature folder's files into a folder of that name (executor/, say). Joined at
 * run time so that the bundler leaves the path alone.
 */
function assetPath(...names) {
    const here = node_path__WEBPACK_IMPORTED_MODULE_0___default().dirname((0,node_url__WEBPACK_IMPORTED_MODULE_1__.fileURLToPath)(import.meta.url));
    return [here, 'assets', ...names].join((node_path__WEBPACK_IMPORTED_MODULE_0___default().sep));
}


/***/ }),

/***/ 73190:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   UR: () => (/* binding */ LastLines),
/* harmony export */   eF: () => (/* binding */ run),
/* harmony export */   o1: () => (/* binding */ runCancellable)
/* harmony export */ });
/* unused harmony exports LINE_LIMIT, splitLines */
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(75260);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_string_decoder__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(46193);
/* harmony import */ var node_string_decoder__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_string_decoder__WEBPACK_IMPORTED_MODULE_2__);



/** Runs a short command. Never throws for a non-zero exit: callers decide. */
async function run(command, args, options = {}) {
    try {
        const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H(command, args, {
            cwd: options.cwd,
            env: options.env ? { ...processEnv(), ...options.env } : undefined,
            silent: !options.stream,
            ignoreReturnCode: true,
            ...(options.input !== undefined && { input: Buffer.from(options.input) }),
        });
        return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    }
    catch (error) {
        throw new Error(`Could not run ${command}: ${error.message}`, { cause: error });
    }
}
/** How long a stopped command's output may stay open after it exited. */
const OUTPUT_GRACE_MS = 1000;
/**
 * Runs a command whose output comes from elsewhere (the build container, a registry, Galaxy)
 * and that must stop cleanly when the job is cancelled. The runner signals only our process
 * (SIGINT, then SIGTERM, then a kill), so each signal is passed on as SIGTERM, the one that
 * Packer acts on, and we wait for the child to clean up and exit. Lines are bounded (see
 * splitLines). @actions/exec does not expose the child process, hence node's spawn here.
 */
function runCancellable(command, args, options) {
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_1__.spawn)(command, args, {
            cwd: options.cwd,
            env: { ...processEnv(), ...options.env },
            stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        if (options.input !== undefined) {
            child.stdin?.on('error', () => undefined); // a command that exits without reading
            child.stdin?.end(options.input);
        }
        let cancelledBy;
        // Once: a second signal would make Packer give up its own cleanup.
        const forward = (signal) => {
            if (cancelledBy)
                return;
            cancelledBy = signal;
            child.kill('SIGTERM');
        };
        const signals = ['SIGINT', 'SIGTERM'];
        for (const signal of signals)
            process.on(signal, forward);
        let timedOut = false;
        let killer;
        const timer = options.timeoutSeconds === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                child.kill('SIGTERM');
                killer = setTimeout(() => child.kill('SIGKILL'), 5000);
            }, options.timeoutSeconds * 1000);
        // What a command that we stopped started may outlive it with our pipes as its output:
        // Packer's ansible-playbook runs on until the build container goes, which Packer leaves to
        // our cleanup (-on-error=abort). Once the command exits, that output gets a moment, then
        // is closed, so the cleanup can come.
        let closer;
        child.on('exit', () => {
            if (cancelledBy || timedOut)
                closer = setTimeout(() => {
                    child.stdout?.destroy();
                    child.stderr?.destroy();
                }, OUTPUT_GRACE_MS);
        });
        const settle = () => {
            for (const signal of signals)
                process.off(signal, forward);
            clearTimeout(timer);
            clearTimeout(killer);
            clearTimeout(closer);
        };
        splitLines(child.stdout, (line) => options.onLine(line, 'stdout'));
        splitLines(child.stderr, (line) => options.onLine(line, 'stderr'));
        child.on('error', (error) => {
            settle();
            reject(new Error(`Could not run ${command}: ${error.message}`, { cause: error }));
        });
        child.on('close', (code) => {
            settle();
            resolve({
                exitCode: code ?? 128,
                ...(cancelledBy && { cancelledBy }),
                ...(timedOut && { timedOut }),
            });
        });
    });
}
/** The last `limit` lines of some output, for an error message: never the whole of it. */
class LastLines {
    limit;
    kept = [];
    constructor(limit) {
        this.limit = limit;
    }
    add(line) {
        this.kept.push(line);
        if (this.kept.length > this.limit)
            this.kept.shift();
        return line;
    }
    get text() {
        return this.kept.join('\n');
    }
}
/** Longest line passed on whole; the playbook decides what the build container prints. */
const LINE_LIMIT = 64 * 1024;
/**
 * Calls `onLine` for each line of a stream, holding at most LINE_LIMIT characters of one: the
 * rest of a longer line is counted, not kept, so that one huge line costs no memory.
 */
function splitLines(stream, onLine) {
    const decoder = new node_string_decoder__WEBPACK_IMPORTED_MODULE_2__.StringDecoder('utf8');
    let pending = '';
    let cut = 0;
    const emit = () => {
        const line = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
        onLine(cut ? `${line} … (${cut} more characters of this line not shown)` : line);
        pending = '';
        cut = 0;
    };
    const take = (text) => {
        let start = 0;
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
            add(text.slice(start, end));
            emit();
            start = end + 1;
        }
        add(text.slice(start));
    };
    const add = (part) => {
        const room = LINE_LIMIT - pending.length;
        pending += part.slice(0, Math.max(room, 0));
        cut += Math.max(part.length - Math.max(room, 0), 0);
    };
    stream.on('data', (chunk) => take(decoder.write(chunk)));
    stream.on('end', () => {
        take(decoder.end());
        if (pending || cut)
            emit();
    });
}
function processEnv() {
    return Object.fromEntries(Object.entries(process.env).filter((entry) => entry[1] !== undefined));
}


/***/ }),

/***/ 72386:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dl: () => (/* binding */ PYTHON_MOUNT),
/* harmony export */   Nh: () => (/* binding */ PythonCache),
/* harmony export */   St: () => (/* binding */ OUTSIDE_PYTHON_FILE),
/* harmony export */   fZ: () => (/* binding */ treeDigest)
/* harmony export */ });
/* unused harmony exports REQUEST_FILE, ANSWER_FILE */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _assets_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(25462);
/* harmony import */ var _tools_version_cache_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(20764);







/**
 * Where the container finds the Python that Ansible uses from outside the image: in Packer's
 * folder (PACKER_CONTAINER_DIR), like the executor's, so that no mount point stays in the image.
 */
const PYTHON_MOUNT = '/packer-files/python';
/**
 * In the executor's shared folder: made by the container script when it gave Ansible the Python
 * outside the image. Only its being a regular file counts: the container can write anything
 * there, so its content is never read and a link is ignored.
 */
const OUTSIDE_PYTHON_FILE = 'python';
/** What makes the Python's folder (see unpack.ts), and so what the cache key hashes. */
const MAKERS = [
    (0,_assets_js__WEBPACK_IMPORTED_MODULE_5__/* .assetPath */ .Q)('container.sh'),
    (0,_assets_js__WEBPACK_IMPORTED_MODULE_5__/* .assetPath */ .Q)('outside-python', 'launcher.sh'),
    (0,_assets_js__WEBPACK_IMPORTED_MODULE_5__/* .assetPath */ .Q)('outside-python', 'sitecustomize.py'),
];
/**
 * The Python that the container script keeps outside an image that has none (see README,
 * "Base images without Python"): one folder per base image in the runner's cache, carried
 * across workflow runs by the Actions cache. The base image's ID names it, since the image's
 * packages decide which packages complete it; and so do the files that make it (the container
 * script, and the launcher and sitecustomize.py in this folder), so that a folder made by
 * another version of the action is never taken for one of this version's.
 *
 * Builds run this Python as root, so no build may change it: it is unpacked by a container of
 * its own before the build, mounted read-only into build containers, and its digest, taken
 * once it is made, is checked before each use and before it goes to the Actions cache.
 */
class PythonCache {
    /** The launcher that the container script writes last into a complete folder. */
    static LAUNCHER = 'python3';
    directory;
    /** Next to the folder, never inside what a container sees. */
    digestFile;
    /** The folder's metadata when its digest last matched; the runner's own, never cached. */
    stampFile;
    key;
    hadIt = true;
    actionsCache;
    constructor(name) {
        this.directory = node_path__WEBPACK_IMPORTED_MODULE_4___default().join((0,_tools_version_cache_js__WEBPACK_IMPORTED_MODULE_6__/* .actionCacheDirectory */ .u)(), 'python', name);
        this.digestFile = `${this.directory}.sha256`;
        this.stampFile = `${this.directory}.stamp`;
        this.key = `ansible-image-python-${name}`;
    }
    static async forImage(baseImageId) {
        const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256');
        for (const file of MAKERS)
            hash.update(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readFile)(file));
        return new PythonCache(`${baseImageId.replace(/^sha256:/, '').slice(0, 16)}-${hash.digest('hex').slice(0, 8)}`);
    }
    /** Before the container starts: the engine would make a missing folder, and as root. */
    async makeDirectory() {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.mkdir)(this.directory, { recursive: true });
        // Users that a playbook creates in the image run this Python too.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.chmod)(this.directory, 0o755);
    }
    get complete() {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_4___default().join(this.directory, PythonCache.LAUNCHER));
    }
    /**
     * Makes sure the folder holds this base image's Python, as it was made: from the runner's
     * cache, the Actions cache, or else by `unpack` (a container of the base image that writes
     * into the folder). A folder whose digest changed is thrown away and made again.
     */
    async ensure(unpack, checked) {
        if (this.complete && !(await (checked ?? this.intact())))
            await this.discard();
        if (!this.complete) {
            // Loaded only here: the cache client doubles the bundle, and this runs alongside Packer.
            const { ActionsCache } = await Promise.all(/* import() */[__webpack_require__.e(641), __webpack_require__.e(830), __webpack_require__.e(88), __webpack_require__.e(907)]).then(__webpack_require__.bind(__webpack_require__, 53907));
            this.actionsCache = new ActionsCache('Python for Ansible', this.key, [
                this.directory,
                this.digestFile,
            ]);
            this.hadIt = await this.actionsCache.restore();
            if (this.hadIt && !(await this.intact())) {
                await this.discard();
                this.hadIt = false;
            }
        }
        if (this.complete)
            return;
        await unpack();
        if (!this.complete)
            return;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.writeFile)(this.digestFile, await treeDigest(this.directory, 'content'));
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.writeFile)(this.stampFile, await treeDigest(this.directory, 'metadata'));
    }
    /**
     * Answers the container script, which asks for this Python (by making REQUEST_FILE in the
     * shared folder) only when the base image has none: ensures it, then makes ANSWER_FILE.
     * Only the request's existence counts. Returns what stops the watch, once any answer is out.
     */
    answerRequests(sharedFolder, unpack) {
        let answering;
        // Checked while Packer starts, so that the answer is ready when the question comes.
        const checked = this.complete ? this.intact() : undefined;
        checked?.catch(() => undefined);
        const watch = setInterval(() => {
            if (answering || !(0,node_fs__WEBPACK_IMPORTED_MODULE_2__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_4___default().join(sharedFolder, REQUEST_FILE)))
                return;
            clearInterval(watch);
            answering = this.ensure(unpack, checked)
                .catch((error) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not give Ansible a Python outside the image: ${error.message}`))
                // A new file, never through what the container put there: 'wx' is O_EXCL, which
                // follows no link. The script takes any entry there as the answer.
                .finally(() => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.writeFile)(node_path__WEBPACK_IMPORTED_MODULE_4___default().join(sharedFolder, ANSWER_FILE), '', { flag: 'wx' }).catch(() => undefined));
        }, REQUEST_POLL_MS);
        return async () => {
            clearInterval(watch);
            await answering;
        };
    }
    /**
     * Keeps a Python that this build unpacked for the next workflow runs, if it is unchanged:
     * the post step uploads it, as it does the tools.
     */
    async save() {
        if (!this.hadIt && this.complete && (await this.intact()))
            this.actionsCache?.saveInPost();
    }
    /** Removes the folder again if the base image had Python, so that nothing went into it. */
    async dropIfUnused() {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rmdir)(this.directory).catch(() => undefined); // not empty: in use
    }
    /**
     * Whether the folder is as it was made. Its metadata (ctime included, which no user can set)
     * changes with any write, so a folder whose metadata is as when its content last matched
     * is not read again: 3000 lstat calls instead of 48 MB on every build.
     */
    async intact() {
        const recorded = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readFile)(this.digestFile, 'utf8').catch(() => '');
        if (recorded === '')
            return false;
        const stamp = await treeDigest(this.directory, 'metadata');
        if (stamp === (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readFile)(this.stampFile, 'utf8').catch(() => '')))
            return true;
        if (recorded !== (await treeDigest(this.directory, 'content')))
            return false;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.writeFile)(this.stampFile, stamp);
        return true;
    }
    async discard() {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rm)(this.directory, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rm)(this.digestFile, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rm)(this.stampFile, { force: true });
        await this.makeDirectory();
    }
}
/**
 * SHA-256 over a folder as it is: every entry's path, type and mode, and each link's target;
 * with `content`, each file's bytes, else each entry's size, inode, mtime and ctime. Links are
 * read, never followed.
 */
async function treeDigest(root, what) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256');
    const walk = async (relative) => {
        const entries = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readdir)(node_path__WEBPACK_IMPORTED_MODULE_4___default().join(root, relative))).sort();
        for (const name of entries) {
            const entry = node_path__WEBPACK_IMPORTED_MODULE_4___default().join(relative, name);
            const full = node_path__WEBPACK_IMPORTED_MODULE_4___default().join(root, entry);
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.lstat)(full, { bigint: true });
            hash.update(`${entry}\0${info.mode.toString(8)}\0`);
            if (what === 'metadata')
                hash.update(`${info.size} ${info.ino} ${info.mtimeNs} ${info.ctimeNs}\0`);
            if (info.isSymbolicLink())
                hash.update(`${await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readlink)(full)}\0`);
            else if (info.isFile() && what === 'content') {
                hash.update(`${info.size}\0`);
                for await (const chunk of (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.createReadStream)(full))
                    hash.update(chunk);
            }
            else if (info.isDirectory())
                await walk(entry);
        }
    };
    await walk('');
    return hash.digest('hex');
}
/** What the container script makes in the shared folder to ask for the Python, and our answer. */
const REQUEST_FILE = 'python-wanted';
const ANSWER_FILE = 'python-answered';
const REQUEST_POLL_MS = 20;


/***/ }),

/***/ 88688:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ unpackPython),
/* harmony export */   unpackContainerName: () => (/* binding */ unpackContainerName)
/* harmony export */ });
/* unused harmony export unpackArguments */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _assets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(25462);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(73190);
/* harmony import */ var _cache_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(72386);





/** How long unpacking a base image's Python may take: a download and a few seconds' work. */
const UNPACK_TIMEOUT_SECONDS = 300;
/**
 * Where the unpacking container finds this folder's launcher.sh and sitecustomize.py, which the
 * container script puts into the Python's folder. Read-only: the container runs the base
 * image's own apt-get, as root, and the next one must get them as they are.
 */
const FILES_MOUNT = '/ansible-image-python-files';
/** Unpacks the base image's Python in a container of that image; see cache.ts. */
async function unpackPython(python, baseImageId, network, containerName) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq("Unpacking the base image's python3 into the runner's cache for Ansible");
    const last = new _exec_js__WEBPACK_IMPORTED_MODULE_3__/* .LastLines */ .UR(20);
    const result = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .runCancellable */ .o1)('docker', unpackArguments({
        name: unpackContainerName(containerName),
        baseImageId,
        network,
        directory: python.directory,
        mount: _cache_js__WEBPACK_IMPORTED_MODULE_4__/* .PYTHON_MOUNT */ .Dl,
        files: (0,_assets_js__WEBPACK_IMPORTED_MODULE_2__/* .assetPath */ .Q)('outside-python'),
    }), {
        input: await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,_assets_js__WEBPACK_IMPORTED_MODULE_2__/* .assetPath */ .Q)('container.sh'), 'utf8'),
        timeoutSeconds: UNPACK_TIMEOUT_SECONDS,
        onLine: (line) => last.add(line),
    });
    if (result.timedOut || result.exitCode !== 0)
        throw new Error(`${result.timedOut ? `it took over ${UNPACK_TIMEOUT_SECONDS} s` : `exit ${result.exitCode}`}; Python goes into the image instead:\n${last.text}`);
}
/** The unpacking container's name: the build container's, which the post step knows. */
const unpackContainerName = (buildContainer) => `${buildContainer}-python`;
/**
 * `docker run` arguments for the container that unpacks a base image's Python into the
 * runner's folder: of the base image itself, whose package sources it uses, as root, on the
 * build's network, running our container script from its standard input.
 */
function unpackArguments(o) {
    return [
        'run',
        '--rm',
        '-i',
        '--name',
        o.name,
        '--user',
        '0',
        ...(o.network ? ['--network', o.network] : []),
        '--entrypoint',
        '/bin/sh',
        '-v',
        `${o.directory}:${o.mount}`,
        '-v',
        `${o.files}:${FILES_MOUNT}:ro`,
        o.baseImageId,
        '-s',
        '--',
        'unpack',
        'auto',
        FILES_MOUNT,
        '',
        o.mount,
        '',
    ];
}


/***/ }),

/***/ 80707:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ toolCacheDirectory)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


/**
 * Where everything that the action keeps between jobs lives: the runner's tool cache, or,
 * outside a runner (act, a developer's machine), the user's cache folder. The one rule for
 * it: @actions/tool-cache, which asserts that RUNNER_TOOL_CACHE is set, is never asked.
 */
function toolCacheDirectory() {
    return process.env.RUNNER_TOOL_CACHE || node_path__WEBPACK_IMPORTED_MODULE_1___default().join(node_os__WEBPACK_IMPORTED_MODULE_0___default().homedir(), '.cache');
}


/***/ }),

/***/ 20764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ versionOutput),
/* harmony export */   u: () => (/* binding */ actionCacheDirectory)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73190);
/* harmony import */ var _cache_directory_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(80707);




// Read once per process: Packer's and Ansible's lookups run at the same time, and each must
// see the other's entry when it writes the file back.
let remembered;
let saved = Promise.resolve();
/** What the action keeps from one build to the next on this runner. */
function actionCacheDirectory() {
    return node_path__WEBPACK_IMPORTED_MODULE_1___default().join((0,_cache_directory_js__WEBPACK_IMPORTED_MODULE_3__/* .toolCacheDirectory */ .E)(), 'ansible-image');
}
/**
 * The output of a version command, remembered per binary (real path, size and mtime): an
 * upgrade or a different binary asks again. `ansible-playbook --version` starts Python and
 * Ansible, about half a second of every build on a runner that keeps its tools.
 */
async function versionOutput(binary, args) {
    const file = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(actionCacheDirectory(), 'versions.json');
    remembered ??= (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8')
        .then((text) => JSON.parse(text))
        .then((known) => (known && typeof known === 'object' ? known : {}))
        .catch(() => ({})); // nothing remembered yet
    const known = await remembered;
    let key;
    try {
        const real = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(binary);
        const { size, mtimeMs } = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(real);
        key = JSON.stringify([real, size, mtimeMs, args]);
    }
    catch {
        // not a file we can recognise again: ask it every time
    }
    if (key && typeof known[key] === 'string')
        return { exitCode: 0, stdout: known[key], stderr: '' };
    const result = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .eF)(binary, args);
    if (key && result.exitCode === 0) {
        known[key] = result.stdout;
        saved = saved.then(() => save(file, known));
        await saved;
    }
    return result;
}
/** Written aside and renamed, so that a build running next to this one never reads half a file. */
async function save(file, known) {
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(file), { recursive: true });
        const written = `${file}.${process.pid}`;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(written, JSON.stringify(known));
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(written, file);
    }
    catch {
        // a cache we cannot write is only slower
    }
}


/***/ })

};
