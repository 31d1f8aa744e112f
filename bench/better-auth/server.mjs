// Better Auth on Node, as the comparison in bench/versus.py runs it: email and password on
// PostgreSQL, its defaults otherwise, rate limits off (as Gatehouse's are raised for the bench),
// one worker process per core behind Node's cluster module (a single process would leave a core
// to the hashing threads alone).
//
//   node server.mjs serve       listen on $PORT
//   node server.mjs hash-time   print one password check's time in ms (the median of 15)
import cluster from 'node:cluster';
import http from 'node:http';
import os from 'node:os';
import { betterAuth } from 'better-auth';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3300);

function auth() {
  return betterAuth({
    database: new pg.Pool({ connectionString: process.env.DATABASE_URL }),
    secret: process.env.BETTER_AUTH_SECRET,
    baseURL: `http://127.0.0.1:${port}`,
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
  });
}

async function hashTime() {
  const password = 'violet staple gorilla';
  const hash = await hashPassword(password);
  const times = [];
  for (let i = 0; i < 15; i += 1) {
    const start = process.hrtime.bigint();
    if (!(await verifyPassword({ hash, password }))) throw new Error('the password did not verify');
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(times[7].toFixed(2));
}

if (process.argv[2] === 'hash-time') {
  await hashTime();
} else if (cluster.isPrimary) {
  const { runMigrations } = await getMigrations(auth().options);
  await runMigrations();
  for (let i = 0; i < os.availableParallelism(); i += 1) cluster.fork();
  cluster.on('exit', (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === os.availableParallelism()) console.log(`listening on ${port}`);
  });
} else {
  http.createServer(toNodeHandler(auth())).listen(port, '127.0.0.1');
}
