// Sessions in the database (our own store, session-store.ts), so any app instance can serve any request.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Collection, MongoClient } from 'mongodb';
import type { Job } from '../scheduler/index.js';
import { DbSessionStore, sessionCleanUpJob, type MarkerDocument, type SessionDocument } from './session-store.js';

export const SESSION_COOKIE = 'udbhabon.sid';
export const SESSIONS_COLLECTION = 'sessions';
/** The project's change markers (platform/db/change-marker.ts), under the _id "sessions". */
export const SESSION_MARKERS_COLLECTION = 'change_markers';
/** An unchanged session's expiry is written at most once a minute (the cookie itself rolls on every answer). */
export const SESSION_TOUCH_AFTER_SECONDS = 60;

function sessionsCollection(client: MongoClient, dbName: string): Collection<SessionDocument> {
  return client.db(dbName).collection<SessionDocument>(SESSIONS_COLLECTION);
}

/** The periodic removal of expired sessions, for the scheduler. */
export function sessionJobs(options: { client: MongoClient; dbName: string }): readonly Job[] {
  return [sessionCleanUpJob(sessionsCollection(options.client, options.dbName))];
}

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
    store: new DbSessionStore({
      collection: sessionsCollection(options.client, options.dbName),
      markers: options.client.db(options.dbName).collection<MarkerDocument>(SESSION_MARKERS_COLLECTION),
      ttlSeconds: options.hours * 3600,
      touchAfterSeconds: SESSION_TOUCH_AFTER_SECONDS,
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
