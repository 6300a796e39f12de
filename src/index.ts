import './cjs-globals.js';
import { run } from './main.js';
import { post } from './post.js';
import * as state from './state.js';

// Exit when the step is done, even if a dead connection (an engine that never answered) would
// keep the event loop alive; stdout and the command files are written synchronously.
void (state.isPost() ? post() : run()).finally(() => process.exit());
