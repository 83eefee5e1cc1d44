// test/clients/node/workers/worker_4.test.js: worker 4 of suite.js
'use strict';
require('./suite.js')(4);
