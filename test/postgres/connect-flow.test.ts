import { connectFlowSuite } from '../service/connect-flow.suite.ts';

connectFlowSuite('postgres');
