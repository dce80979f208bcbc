import { monitorSuite } from '../monitor/monitor.suite.ts';

monitorSuite('postgres');
