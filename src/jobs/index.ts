export {
  createJobs,
  type JobData,
  type JobHandler,
  type Jobs,
  type JobsOptions,
  QUEUES,
  type QueueKey,
} from './create-jobs.ts';
