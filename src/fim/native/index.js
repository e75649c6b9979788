// Loads the compiled binding (built by `node-gyp rebuild` when npm installs this package).
'use strict';
module.exports = require('./build/Release/spyglass_inotify.node');
