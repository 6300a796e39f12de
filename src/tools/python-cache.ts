// Moved to outside-python/; post.ts, which another change is reworking, still imports it here.
export { unpackContainerName } from '../outside-python/unpack.js';
