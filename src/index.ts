import './cjs-globals.js';
import * as core from '@actions/core';
import * as state from './state.js';

// Each step loads only its own code: the post step, which usually has nothing to clean, starts
// without parsing the build's modules.
const step = state.isPost()
  ? import('./post.js').then(({ post }) => post())
  : import('./main.js').then(({ run }) => run());

// Exit when the step is done, even if a dead connection (an engine that never answered) would
// keep the event loop alive; stdout and the command files are written synchronously. A step
// whose code did not load (a broken bundle) must not pass.
void step
  .catch((error: unknown) => {
    // As one escaped command: the text may quote what the build printed.
    core.setFailed(error instanceof Error ? (error.stack ?? error.message) : String(error));
  })
  .finally(() => process.exit());
