import './cjs-globals.js';
import { run } from './main.js';
import { post } from './post.js';
import * as state from './state.js';

void (state.isPost() ? post() : run());
