// test/clients/node/workers/worker_2.test.js: worker 2 of suite.js
'use strict';
require('./suite.js')(2);
