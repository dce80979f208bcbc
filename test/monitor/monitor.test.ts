import { monitorSuite } from './monitor.suite.ts';

monitorSuite('pglite');
