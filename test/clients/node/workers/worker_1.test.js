// test/clients/node/workers/worker_1.test.js: worker 1 of suite.js
'use strict';
require('./suite.js')(1);
