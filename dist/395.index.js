export const id = 395;
export const ids = [395,907];
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

/***/ 40395:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  installPacker: () => (/* binding */ installPacker),
  pluginInstallCommands: () => (/* binding */ pluginInstallCommands)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(59805);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(62088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(73190);
// EXTERNAL MODULE: ./src/tools/actions-cache.ts
var actions_cache = __webpack_require__(53907);
;// CONCATENATED MODULE: ./src/tools/platform.ts
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
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

// EXTERNAL MODULE: ./src/tools/versions.ts
var versions = __webpack_require__(62578);
;// CONCATENATED MODULE: ./src/tools/packer.ts












const TOOL = 'packer';
/** Packer from HashiCorp's releases (or a mirror): resolved, verified, cached. */
async function installPacker(o) {
    const { os: platform, arch } = hashicorpPlatform();
    const base = o.releasesUrl;
    const scratch = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'packer-download-'));
    try {
        let version = semver_default().valid(o.spec) ?? undefined;
        let directory = version ? tool_cache/* find */.I6(TOOL, version, arch) : '';
        let index;
        const noRelease = () => new Error(`No Packer release matches "${o.spec}" at ${base}`);
        // An exact version needs the index only to download: the caches are asked first.
        if (!version) {
            index = await releaseIndex(base, scratch);
            version = (0,versions/* resolveVersion */.x)(o.spec, Object.keys(index.versions ?? {}));
            if (!version)
                throw noRelease();
            directory = tool_cache/* find */.I6(TOOL, version, arch);
        }
        const resolved = version;
        const actionsCache = actions_cache.ActionsCache.forTool(TOOL, resolved, arch);
        if (!directory && (await actionsCache.restore()))
            directory = tool_cache/* find */.I6(TOOL, resolved, arch);
        if (!directory) {
            index ??= await releaseIndex(base, scratch);
            if (!index.versions?.[resolved])
                throw noRelease();
            directory = await downloadVerified(base, resolved, platform, arch, index, o.publicKey, scratch);
            await actionsCache.save();
        }
        else {
            core/* info */.pq(`Packer ${resolved} from the tool cache`);
        }
        const binary = external_node_path_default().join(directory, platform === 'windows' ? 'packer.exe' : 'packer');
        const pluginPath = await installPlugins(binary, resolved, o);
        return { path: binary, version: resolved, ...(pluginPath && { pluginPath }) };
    }
    finally {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}
async function releaseIndex(base, scratch) {
    const file = await download(`${base}/packer/index.json`, scratch, 'index.json');
    try {
        return JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
    }
    catch (error) {
        throw new Error(`${base}/packer/index.json is not a release index`, { cause: error });
    }
}
async function download(url, directory, name) {
    try {
        return await tool_cache/* downloadTool */.bq(url, external_node_path_default().join(directory, name));
    }
    catch (error) {
        throw new Error(`Cannot download ${url}: ${error.message}`, { cause: error });
    }
}
/** Nothing reaches the tool cache before both the signature and the checksum verify. */
async function downloadVerified(base, version, platform, arch, index, publicKey, scratch) {
    const build = index.versions[version].builds?.find((b) => b.os === platform && b.arch === arch);
    if (!build)
        throw new Error(`Packer ${version} has no build for ${platform}/${arch}`);
    const release = `${base}/packer/${version}`;
    const sumsName = `packer_${version}_SHA256SUMS`;
    const sums = await (0,promises_.readFile)(await download(`${release}/${sumsName}`, scratch, sumsName));
    const signature = await (0,promises_.readFile)(await download(`${release}/${sumsName}.72D7468F.sig`, scratch, `${sumsName}.sig`));
    await verifyDetachedSignature(sums, signature, publicKey);
    const expected = checksumFor(sums.toString('utf8'), build.filename);
    if (!expected)
        throw new Error(`${sumsName} has no checksum for ${build.filename}`);
    const zip = await download(`${release}/${build.filename}`, scratch, build.filename);
    const actual = await sha256File(zip);
    if (actual !== expected)
        throw new Error(`Checksum mismatch for ${build.filename}: expected ${expected}, got ${actual}`);
    let extracted;
    try {
        extracted = await tool_cache/* extractZip */.JE(zip, external_node_path_default().join(scratch, 'extracted'));
    }
    catch (error) {
        throw new Error(`Cannot unpack ${build.filename}: ${error.message}`, {
            cause: error,
        });
    }
    if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(extracted, platform === 'windows' ? 'packer.exe' : 'packer')))
        throw new Error(`${build.filename} holds no packer binary`);
    core/* info */.pq(`Packer ${version}: signature and checksum verified`);
    return tool_cache/* cacheDir */.e8(extracted, TOOL, version, arch);
}
/**
 * From Packer 1.10 on, the docker and ansible plugins are separate: the `packer plugins
 * install` commands for a version, none before 1.10 (they are built in).
 */
function pluginInstallCommands(packerVersion, dockerPluginVersion, ansiblePluginVersion) {
    if (semver_default().lt(packerVersion, '1.10.0'))
        return [];
    return [
        ['plugins', 'install', 'github.com/hashicorp/docker', `v${dockerPluginVersion}`],
        ['plugins', 'install', 'github.com/hashicorp/ansible', `v${ansiblePluginVersion}`],
    ];
}
async function installPlugins(packer, version, o) {
    const commands = pluginInstallCommands(version, o.dockerPluginVersion, o.ansiblePluginVersion);
    if (commands.length === 0)
        return undefined;
    const pluginPath = external_node_path_default().join(process.env.RUNNER_TOOL_CACHE ?? external_node_os_default().tmpdir(), 'packer-plugins', `docker-${o.dockerPluginVersion}_ansible-${o.ansiblePluginVersion}`);
    if ((0,external_node_fs_.existsSync)(`${pluginPath}.complete`))
        return pluginPath;
    for (const args of commands) {
        const result = await (0,exec/* run */.eF)(packer, args, {
            env: { PACKER_PLUGIN_PATH: pluginPath, CHECKPOINT_DISABLE: '1' },
        });
        if (result.exitCode !== 0)
            throw new Error(`packer ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`);
    }
    await (0,promises_.writeFile)(`${pluginPath}.complete`, '');
    return pluginPath;
}


/***/ })

};
