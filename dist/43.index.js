export const id = 43;
export const ids = [43,907];
export const modules = {

/***/ 53907:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ActionsCache: () => (/* binding */ ActionsCache),
/* harmony export */   saveAll: () => (/* binding */ saveAll)
/* harmony export */ });
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(82641);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(33838);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2462);



/** What this step made, for the post step to save: every entry so far, in one state value. */
const made = [];
/**
 * The second cache tier, across workflow runs, for folders of the runner's cache. A cache
 * service that is down or slow costs a warning.
 */
class ActionsCache {
    label;
    key;
    paths;
    constructor(
    /** What the folders hold, for the warnings. */
    label, key, paths) {
        this.label = label;
        this.key = key;
        this.paths = paths;
    }
    /** True when the folders were restored. */
    async restore() {
        if (!_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3())
            return false;
        try {
            return (await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .restoreCache */ .P3(this.paths, this.key)) !== undefined;
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`Restoring ${this.label} from the Actions cache failed: ${error.message}`);
            return false;
        }
    }
    async save() {
        if (!_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3())
            return;
        try {
            await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .saveCache */ .Io(this.paths, this.key);
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`Saving ${this.label} to the Actions cache failed: ${error.message}`);
        }
    }
    /**
     * Leaves the saving to the post step, as actions/setup-node does: the build does not wait
     * for the upload, and a tool that a failing build installed is kept all the same.
     */
    saveInPost() {
        if (!_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3())
            return;
        made.push({ label: this.label, key: this.key, paths: this.paths });
        (0,_state_js__WEBPACK_IMPORTED_MODULE_2__/* .saveCachesToSave */ .bG)(made);
    }
}
/** The post step's part: what the main step left to it, one after the other. */
async function saveAll(caches) {
    for (const { label, key, paths } of caches)
        await new ActionsCache(label, key, paths).save();
}


/***/ }),

/***/ 72043:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installAnsible: () => (/* binding */ installAnsible)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(88701);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(62088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(73190);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(49809);
/* harmony import */ var _tool_cache_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(93362);
/* harmony import */ var _versions_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(62578);








const TOOL = 'ansible-core';
/**
 * ansible-core in a virtual environment of its own (never the system Python), created in
 * place in the tool cache: a virtual environment cannot be moved once made. No collection:
 * the action's own connection plugins reach the build container.
 */
async function installAnsible(o) {
    const python = await _actions_io__WEBPACK_IMPORTED_MODULE_1__/* .which */ .K7('python3', false);
    if (!python)
        throw new Error('python3 is not on PATH: it is needed to install ansible-core');
    const pythonVersion = (await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
    const flavour = `${process.arch}-py${pythonVersion}`;
    const index = o.indexUrl;
    const version = semver__WEBPACK_IMPORTED_MODULE_3___default().valid(o.spec) ?? (await resolveFromIndex(o.spec, index));
    const directory = await new _tool_cache_js__WEBPACK_IMPORTED_MODULE_5__/* .CachedTool */ .l(TOOL, TOOL, version, flavour).ensure((target) => createEnvironment(python, version, target, index));
    return {
        path: node_path__WEBPACK_IMPORTED_MODULE_2___default().join(directory, 'bin', 'ansible-playbook'),
        galaxy: node_path__WEBPACK_IMPORTED_MODULE_2___default().join(directory, 'bin', 'ansible-galaxy'),
        version,
    };
}
async function resolveFromIndex(spec, index) {
    const url = `${index}/${TOOL}/`;
    const html = await (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .withRetries */ .L)(async () => {
        const response = await fetch(url, { headers: { Accept: 'text/html' } });
        if (!response.ok)
            throw new Error(`HTTP ${response.status} for ${url}`);
        return response.text();
    }, {
        attempts: 3,
        firstDelayMs: 1000,
        isPermanent: (error) => /HTTP 4\d\d/.test(error.message),
    }).catch((error) => {
        throw new Error(`Cannot read the package index: ${error.message}`, { cause: error });
    });
    const version = (0,_versions_js__WEBPACK_IMPORTED_MODULE_6__/* .resolveVersion */ .x)(spec, (0,_versions_js__WEBPACK_IMPORTED_MODULE_6__/* .indexVersions */ .qP)(html, TOOL));
    if (!version)
        throw new Error(`No ansible-core release matches "${spec}" at ${index}`);
    return version;
}
async function createEnvironment(python, version, directory, index) {
    await step(python, ['-m', 'venv', directory], 'Creating the virtual environment');
    await step(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(directory, 'bin', 'pip'), [
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--index-url',
        index,
        `${TOOL}==${version}`,
    ], `Installing ansible-core ${version}`);
}
async function step(command, args, what) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(what);
    const result = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)(command, args);
    if (result.exitCode !== 0)
        throw new Error(`${what} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-1000)}`);
}


/***/ }),

/***/ 93362:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ CachedTool),
/* harmony export */   t: () => (/* binding */ ToolFolder)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _actions_cache_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(53907);
/* harmony import */ var _cache_directory_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(80707);






/**
 * A folder of the runner's tool cache that counts once it is whole, which a `.complete` file
 * beside it says: the layout of @actions/tool-cache, so that earlier runs' folders still count.
 */
class ToolFolder {
    directory;
    marker;
    constructor(...names) {
        this.directory = node_path__WEBPACK_IMPORTED_MODULE_3___default().join((0,_cache_directory_js__WEBPACK_IMPORTED_MODULE_5__/* .toolCacheDirectory */ .E)(), ...names);
        this.marker = `${this.directory}.complete`;
    }
    complete() {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(this.directory) && (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(this.marker);
    }
    /** Makes the folder anew with `install`, which fills it or throws; nothing is left then. */
    async fill(install) {
        await this.discard();
        try {
            await install(this.directory);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(this.marker, '');
        }
        catch (error) {
            await this.discard();
            throw error;
        }
    }
    async discard() {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(this.marker, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(this.directory, { recursive: true, force: true });
    }
}
/**
 * One version of a tool in both cache tiers: its folder of the tool cache (TOOL/VERSION/FLAVOUR),
 * and the Actions cache, which carries the folder and its marker across workflow runs under
 * one key.
 */
class CachedTool {
    label;
    version;
    folder;
    actionsCache;
    constructor(
    /** How the log names the tool: `Packer`, `ansible-core`, … */
    label, tool, version, flavour) {
        this.label = label;
        this.version = version;
        this.folder = new ToolFolder(tool, version, flavour);
        this.actionsCache = new _actions_cache_js__WEBPACK_IMPORTED_MODULE_4__.ActionsCache(label, `ansible-image-${tool}-${version}-${process.platform}-${flavour}`, [this.folder.directory, this.folder.marker]);
    }
    /**
     * The tool's folder: from the tool cache, else from the Actions cache, else made by
     * `install` (see ToolFolder.fill). Only a folder made here goes to the Actions cache, and
     * only in the post step.
     */
    async ensure(install) {
        if (this.folder.complete() || ((await this.actionsCache.restore()) && this.folder.complete()))
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${this.label} ${this.version} from the tool cache`);
        else {
            await this.folder.fill(install);
            this.actionsCache.saveInPost();
        }
        return this.folder.directory;
    }
}


/***/ })

};
