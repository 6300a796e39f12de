export const id = 661;
export const ids = [661];
export const modules = {

/***/ 86661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2462);



/**
 * Saves the tools that the main step installed to the Actions cache, then cleans up after
 * the main step, which may have been killed mid-build: the build containers (by their exact names,
 * saved in state) and the run's private folder. A cache or cleanup problem is a warning; it
 * never fails the job.
 */
async function post() {
    await saveCaches();
    // Asking the engine would cost loading dockerode and a round trip (0.2 s) for nothing.
    if (_state_js__WEBPACK_IMPORTED_MODULE_2__/* .cleanedUp */ .cI())
        return;
    const builds = _state_js__WEBPACK_IMPORTED_MODULE_2__/* .containerNames */ .MR();
    if (builds.length) {
        // Loaded only when there is a container to remove: most post steps have none.
        const { Engine } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(40), __webpack_require__.e(556)]).then(__webpack_require__.bind(__webpack_require__, 66556));
        const { unpackContainerName } = await __webpack_require__.e(/* import() */ 688).then(__webpack_require__.bind(__webpack_require__, 88688));
        const engine = new Engine();
        for (const container of builds.flatMap((build) => [build, unpackContainerName(build)])) {
            try {
                if (await engine.removeContainer(container))
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Removed container ${container}`);
            }
            catch (error) {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not remove container ${container}: ${error.message}`);
            }
        }
    }
    const directory = _state_js__WEBPACK_IMPORTED_MODULE_2__/* .runDirectory */ .xw();
    if (directory) {
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(directory, { recursive: true, force: true });
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not remove ${directory}: ${error.message}`);
        }
    }
}
async function saveCaches() {
    try {
        const caches = _state_js__WEBPACK_IMPORTED_MODULE_2__/* .cachesToSave */ .oS();
        // Loaded only when there is something to save: the cache client doubles the bundle.
        if (caches.length > 0)
            await (await Promise.all(/* import() */[__webpack_require__.e(641), __webpack_require__.e(830), __webpack_require__.e(88), __webpack_require__.e(907)]).then(__webpack_require__.bind(__webpack_require__, 53907))).saveAll(caches);
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not save to the Actions cache: ${error.message}`);
    }
}


/***/ })

};
