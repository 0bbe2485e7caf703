#!/usr/bin/env node
'use strict';
// The `baton` CLI. The sources are TypeScript; tsx compiles them on the fly (as CommonJS).
require('tsx/cjs');

// `baton … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode || 0);
    throw error;
  });
}

const { main } = require('../src/main.ts');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`baton: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
