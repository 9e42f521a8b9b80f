import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Loaded into a server child with `node --require …/cpuProfilePreload.js` when the bench
 * profiles it: starts V8's sampling profiler at once and, on SIGUSR2, writes the profile
 * (Chrome DevTools `.cpuprofile` JSON) to BENCH_CPU_PROFILE_FILE and starts a fresh one.
 * Unlike `node --cpu-prof`, which writes only on a clean exit, this works whatever the
 * server's shutdown does, and one server can be profiled under several loads in turn.
 */
const target = process.env.BENCH_CPU_PROFILE_FILE;
if (target) {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  let part = 0;
  const started = post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 500 }))
    .then(() => post('Profiler.start'));
  process.on('SIGUSR2', () => {
    void started
      .then(() => post('Profiler.stop'))
      .then(({ profile }) => {
        const file = `${target}.${part++}.cpuprofile`;
        writeFileSync(`${file}.partial`, JSON.stringify(profile));
        // The bench waits for the final name, so it never reads a half-written file.
        renameSync(`${file}.partial`, file);
        return post('Profiler.start');
      })
      .catch((error: unknown) => console.error('cpu profile:', error));
  });
}
