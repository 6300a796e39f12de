export const id = 907;
export const ids = [907];
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


/***/ })

};
