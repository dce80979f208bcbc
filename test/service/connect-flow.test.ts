import { connectFlowSuite } from './connect-flow.suite.ts';

connectFlowSuite('pglite');
