import os from 'node:os';
import path from 'node:path';

/**
 * Where everything that the action keeps between jobs lives: the runner's tool cache, or,
 * outside a runner (act, a developer's machine), the user's cache folder. The one rule for
 * it: @actions/tool-cache, which asserts that RUNNER_TOOL_CACHE is set, is never asked.
 */
export function toolCacheDirectory(): string {
  return process.env.RUNNER_TOOL_CACHE || path.join(os.homedir(), '.cache');
}
