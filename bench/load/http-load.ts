// A load generator in its own process: N keep-alive clients loop on one GET for a while.
// Usage: node bench/load/http-load.ts <url> <access-token> <concurrency> <warmupMs> <durationMs>
// Prints one JSON line: { requests, ok, errors, seconds, rps }.
import { Agent, request } from 'node:http';

const [url, token, concurrencyArg, warmupArg, durationArg] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: http-load.ts <url> <token> <concurrency> <warmupMs> <durationMs>');
  process.exit(2);
}
const concurrency = Number(concurrencyArg ?? 50);
const warmupMs = Number(warmupArg ?? 1_000);
const durationMs = Number(durationArg ?? 5_000);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);

function once(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(target, { agent, headers: { 'Access-Token': token } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 && body.startsWith('{"code":0')));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

let measuring = false;
let stop = false;
let ok = 0;
let errors = 0;
async function worker() {
  while (!stop) {
    const success = await once();
    if (!measuring) continue;
    if (success) ok += 1;
    else errors += 1;
  }
}

const workers = Array.from({ length: concurrency }, worker);
await new Promise((resolve) => setTimeout(resolve, warmupMs));
measuring = true;
const start = performance.now();
await new Promise((resolve) => setTimeout(resolve, durationMs));
measuring = false;
const seconds = (performance.now() - start) / 1000;
stop = true;
await Promise.all(workers);
agent.destroy();
console.log(JSON.stringify({ requests: ok + errors, ok, errors, seconds, rps: Math.round(ok / seconds) }));
