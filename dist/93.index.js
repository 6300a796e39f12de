export const id = 93;
export const ids = [93,907];
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

/***/ 18236:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  RG: () => (/* binding */ download),
  kT: () => (/* binding */ downloadVerifiedZip),
  hM: () => (/* binding */ withScratch)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(59805);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/openpgp/dist/node/openpgp.mjs
var openpgp = __webpack_require__(13074);
;// CONCATENATED MODULE: ./src/tools/verify.ts



/**
 * Verifies a detached signature against one key, and fails unless it is valid. (HashiCorp's
 * own js-releases tests the truthiness of openpgp's result object, which never fails; the
 * verdict is the awaited `verified` promise of the signature.)
 */
async function verifyDetachedSignature(data, signature, armoredKey) {
    let key;
    try {
        key = await openpgp/* readKey */.YZ({ armoredKey });
    }
    catch (error) {
        throw new Error(`The release signing key does not parse: ${error.message}`, {
            cause: error,
        });
    }
    try {
        const result = await openpgp/* verify */.MX({
            message: await openpgp/* createMessage */.oH({ binary: data }),
            signature: await openpgp/* readSignature */.Bc({ binarySignature: signature }),
            verificationKeys: key,
            expectSigned: true,
        });
        await result.signatures[0].verified;
    }
    catch (error) {
        throw new Error(`The SHA256SUMS signature does not verify against key ${key.getFingerprint().toUpperCase()}: ${error.message}`, { cause: error });
    }
}
/** The checksum that a SHA256SUMS file gives for exactly this file name. */
function checksumFor(sums, fileName) {
    for (const line of sums.split('\n')) {
        const match = /^([0-9a-f]{64}) [ *]?(.+)$/.exec(line.trim());
        if (match && match[2] === fileName)
            return match[1];
    }
    return undefined;
}
function sha256File(file) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(file)
            .on('error', reject)
            .on('data', (chunk) => hash.update(chunk))
            .on('end', () => resolve(hash.digest('hex')));
    });
}

;// CONCATENATED MODULE: ./src/tools/hashicorp-release.ts






/** Runs `body` with a folder for downloads in the runner's temp folder, and removes it after. */
async function withScratch(prefix, body) {
    const scratch = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), prefix));
    try {
        return await body(scratch);
    }
    finally {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}
async function download(url, directory, name) {
    try {
        // tool-cache retries server errors and gives up on a 4xx at once.
        return await tool_cache/* downloadTool */.bq(url, external_node_path_default().join(directory, name));
    }
    catch (error) {
        throw new Error(`Cannot download ${url}: ${error.message}`, { cause: error });
    }
}
/**
 * Downloads a release's zip and unpacks it, once its SHA256SUMS verified against the signing
 * key and the zip against its checksum: nothing unverified reaches a folder the caller keeps.
 */
async function downloadVerifiedZip(o) {
    const release = `${o.base}/${o.product}/${o.version}`;
    const sumsName = `${o.product}_${o.version}_SHA256SUMS`;
    const sums = await (0,promises_.readFile)(await download(`${release}/${sumsName}`, o.scratch, sumsName));
    const signature = await (0,promises_.readFile)(await download(`${release}/${sumsName}.72D7468F.sig`, o.scratch, `${sumsName}.sig`));
    await verifyDetachedSignature(sums, signature, o.publicKey);
    const expected = checksumFor(sums.toString('utf8'), o.fileName);
    if (!expected)
        throw new Error(`${release}/${sumsName} has no checksum for ${o.fileName}`);
    const zip = await download(`${release}/${o.fileName}`, o.scratch, o.fileName);
    const actual = await sha256File(zip);
    if (actual !== expected)
        throw new Error(`Checksum mismatch for ${release}/${o.fileName}: expected ${expected}, got ${actual}`);
    try {
        const extracted = await tool_cache/* extractZip */.JE(zip, external_node_path_default().join(o.scratch, `${o.product}-extracted`));
        core/* info */.pq(`${o.product} ${o.version}: signature and checksum verified`);
        return extracted;
    }
    catch (error) {
        throw new Error(`Cannot unpack ${release}/${o.fileName}: ${error.message}`, {
            cause: error,
        });
    }
}


/***/ }),

/***/ 71093:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installPacker: () => (/* binding */ installPacker)
/* harmony export */ });
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88701);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(62088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _hashicorp_release_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(18236);
/* harmony import */ var _platform_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(59836);
/* harmony import */ var _tool_cache_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(93362);
/* harmony import */ var _versions_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(62578);









const TOOL = 'packer';
/** Packer from HashiCorp's releases (or a mirror): resolved, verified, cached. */
async function installPacker(o) {
    const { os: platform, arch } = (0,_platform_js__WEBPACK_IMPORTED_MODULE_6__/* .hashicorpPlatform */ .X)();
    const base = o.releasesUrl;
    return (0,_hashicorp_release_js__WEBPACK_IMPORTED_MODULE_5__/* .withScratch */ .hM)('packer-download-', async (scratch) => {
        let version = semver__WEBPACK_IMPORTED_MODULE_4___default().valid(o.spec) ?? undefined;
        let index;
        const noRelease = () => new Error(`No Packer release matches "${o.spec}" at ${base}`);
        // An exact version needs the index only to download: the caches are asked first.
        if (!version) {
            index = await releaseIndex(base, scratch);
            version = (0,_versions_js__WEBPACK_IMPORTED_MODULE_8__/* .resolveVersion */ .x)(o.spec, Object.keys(index.versions ?? {}));
            if (!version)
                throw noRelease();
        }
        const resolved = version;
        const directory = await new _tool_cache_js__WEBPACK_IMPORTED_MODULE_7__/* .CachedTool */ .l('Packer', TOOL, resolved, arch).ensure(async (target) => {
            index ??= await releaseIndex(base, scratch);
            if (!index.versions?.[resolved])
                throw noRelease();
            await downloadVerified(base, resolved, platform, arch, index, o.publicKey, scratch, target);
        });
        return {
            path: node_path__WEBPACK_IMPORTED_MODULE_3___default().join(directory, platform === 'windows' ? 'packer.exe' : 'packer'),
            version: resolved,
        };
    });
}
async function releaseIndex(base, scratch) {
    const file = await (0,_hashicorp_release_js__WEBPACK_IMPORTED_MODULE_5__/* .download */ .RG)(`${base}/packer/index.json`, scratch, 'index.json');
    try {
        return JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(file, 'utf8'));
    }
    catch (error) {
        throw new Error(`${base}/packer/index.json is not a release index`, { cause: error });
    }
}
/** Nothing reaches the tool cache before both the signature and the checksum verify. */
async function downloadVerified(base, version, platform, arch, index, publicKey, scratch, target) {
    const build = index.versions[version].builds?.find((b) => b.os === platform && b.arch === arch);
    if (!build)
        throw new Error(`Packer ${version} has no build for ${platform}/${arch}`);
    const extracted = await (0,_hashicorp_release_js__WEBPACK_IMPORTED_MODULE_5__/* .downloadVerifiedZip */ .kT)({
        base,
        product: TOOL,
        version,
        fileName: build.filename,
        publicKey,
        scratch,
    });
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_3___default().join(extracted, platform === 'windows' ? 'packer.exe' : 'packer')))
        throw new Error(`${build.filename} holds no packer binary`);
    await _actions_io__WEBPACK_IMPORTED_MODULE_0__.cp(extracted, target, { recursive: true, copySourceDirectory: false });
}


/***/ }),

/***/ 59836:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ hashicorpPlatform)
/* harmony export */ });
const OS = {
    linux: 'linux',
    darwin: 'darwin',
    win32: 'windows',
    freebsd: 'freebsd',
    openbsd: 'openbsd',
};
const ARCH = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };
/** The runner's platform in HashiCorp's release names (linux/amd64, darwin/arm64, …). */
function hashicorpPlatform(platform = process.platform, arch = process.arch) {
    const os = OS[platform];
    const cpu = ARCH[arch];
    if (!os || !cpu)
        throw new Error(`HashiCorp publishes no builds for ${platform}/${arch}`);
    return { os, arch: cpu };
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
