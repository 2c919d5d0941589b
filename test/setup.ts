import fc from 'fast-check'

import {TEST_SEED} from './seed.js'

// Every property test without its own seed runs from the run's seed; fast-check reports it on failure.
fc.configureGlobal({seed: TEST_SEED})
