export { createServices, type ServicesOptions } from './create-services.ts';
export { type MonitorRun, type MonitorRunOptions, startMonitor } from './start-monitor.ts';
