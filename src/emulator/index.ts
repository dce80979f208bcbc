export type { EmulatorClock } from './clock.ts';
export {
  type ControlState,
  createEmulator,
  type Emulator,
  type EmulatorControl,
  type EmulatorOptions,
} from './create-emulator.ts';
export { type Fault, FaultSchema } from './faults.ts';
export type { LoggedRequest } from './request-log.ts';
export type { Environment, Tier } from './state.ts';
