#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled command line (`npm run build` writes dist/).
import { main } from '../dist/reconciler/cli/main.js';

process.exitCode = await main(process.argv);
