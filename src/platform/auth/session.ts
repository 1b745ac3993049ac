// Sessions in the database (connect-mongo), so any app instance can serve any request.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { MongoClient } from 'mongodb';

export const SESSION_COOKIE = 'udbhabon.sid';

export function sessionMiddleware(options: {
  client: MongoClient;
  dbName: string;
  secret: string;
  secure: boolean;
  hours: number;
}): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined, // follows Express "trust proxy"
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge: options.hours * 3600_000 },
    store: MongoStore.create({
      client: options.client,
      dbName: options.dbName,
      collectionName: 'sessions',
      ttl: options.hours * 3600,
      // TTL indexes do not exist on the embedded engine: expired sessions are removed by a timer.
      autoRemove: 'interval',
      autoRemoveInterval: 10,
      touchAfter: 60,
    }),
  });
}

/** SESSION_SECRET, or in development one generated once and kept in the data folder. */
export function resolveSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'session-secret');
  try {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if (saved.length >= 32) return saved;
  } catch {
    /* first start */
  }
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
