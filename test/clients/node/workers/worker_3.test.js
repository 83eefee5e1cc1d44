// test/clients/node/workers/worker_3.test.js: worker 3 of suite.js
'use strict';
require('./suite.js')(3);
