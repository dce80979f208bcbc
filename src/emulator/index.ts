import '../require-node.ts';

export type { EmulatorClock } from './clock.ts';
export {
  type ControlState,
  createEmulator,
  type Emulator,
  type EmulatorControl,
  type EmulatorOptions,
  type ScenarioStatus,
} from './create-emulator.ts';
export { type Fault, FaultSchema } from './faults.ts';
export type { LoggedRequest } from './request-log.ts';
export {
  loadScenario,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioStep,
  SHIPPED_SCENARIOS,
} from './scenario.ts';
export type { StepReport } from './scenario-runner.ts';
export { type SeedFile, SeedFileSchema, type SeedInput } from './seed-file.ts';
export type { Environment, Tier } from './state.ts';
