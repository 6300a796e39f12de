export const id = 907;
export const ids = [907];
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


/***/ })

};
