export const id = 43;
export const ids = [43,907];
export const modules = {

/***/ 53907:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ActionsCache: () => (/* binding */ ActionsCache)
/* harmony export */ });
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(82641);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(33838);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



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
    /** A tool-cache folder and its `.complete` marker, under one key. */
    static forTool(tool, version, flavour) {
        const directory = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(process.env.RUNNER_TOOL_CACHE ?? '', tool, version, flavour);
        return new ActionsCache(tool, `ansible-image-${tool}-${version}-${process.platform}-${flavour}`, [directory, `${directory}.complete`]);
    }
    get directory() {
        return this.paths[0];
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
/* harmony import */ var _actions_tool_cache__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(59805);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(62088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(73190);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(49809);
/* harmony import */ var _actions_cache_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(53907);
/* harmony import */ var _versions_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(62578);










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
    const pythonVersion = (await (0,_exec_js__WEBPACK_IMPORTED_MODULE_6__/* .run */ .eF)(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
    const flavour = `${process.arch}-py${pythonVersion}`;
    const index = o.indexUrl;
    const version = semver__WEBPACK_IMPORTED_MODULE_5___default().valid(o.spec) ?? (await resolveFromIndex(o.spec, index));
    const actionsCache = _actions_cache_js__WEBPACK_IMPORTED_MODULE_7__.ActionsCache.forTool(TOOL, version, flavour);
    let directory = _actions_tool_cache__WEBPACK_IMPORTED_MODULE_2__/* .find */ .I6(TOOL, version, flavour);
    if (!directory && (await actionsCache.restore()))
        directory = _actions_tool_cache__WEBPACK_IMPORTED_MODULE_2__/* .find */ .I6(TOOL, version, flavour);
    if (directory)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`ansible-core ${version} from the tool cache`);
    else {
        directory = await createEnvironment(python, version, actionsCache.directory, index);
        await actionsCache.save();
    }
    return {
        path: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(directory, 'bin', 'ansible-playbook'),
        galaxy: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(directory, 'bin', 'ansible-galaxy'),
        version,
    };
}
async function resolveFromIndex(spec, index) {
    const url = `${index}/${TOOL}/`;
    const html = await (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .withRetries */ .L)(async () => {
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
    const version = (0,_versions_js__WEBPACK_IMPORTED_MODULE_8__/* .resolveVersion */ .x)(spec, (0,_versions_js__WEBPACK_IMPORTED_MODULE_8__/* .indexVersions */ .qP)(html, TOOL));
    if (!version)
        throw new Error(`No ansible-core release matches "${spec}" at ${index}`);
    return version;
}
async function createEnvironment(python, version, directory, index) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rm)(directory, { recursive: true, force: true });
    try {
        await step(python, ['-m', 'venv', directory], 'Creating the virtual environment');
        await step(node_path__WEBPACK_IMPORTED_MODULE_4___default().join(directory, 'bin', 'pip'), [
            'install',
            '--disable-pip-version-check',
            '--no-input',
            '--index-url',
            index,
            `${TOOL}==${version}`,
        ], `Installing ansible-core ${version}`);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.writeFile)(`${directory}.complete`, '');
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rm)(directory, { recursive: true, force: true });
        throw error;
    }
    return directory;
}
async function step(command, args, what) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(what);
    const result = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_6__/* .run */ .eF)(command, args);
    if (result.exitCode !== 0)
        throw new Error(`${what} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-1000)}`);
}


/***/ })

};
