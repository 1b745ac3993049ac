import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CONFIG_VARIABLES, ConfigError, PROJECT_ROOT, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('when nothing is set, then development defaults apply and the embedded engine is chosen', () => {
    const c = loadConfig({});
    expect(c.env).to.equal('development');
    expect(c.port).to.equal(3000);
    expect(c.db.uri).to.equal(undefined);
    expect(c.db.name).to.equal('udbhabon');
    expect(c.dataDir).to.equal(path.join(PROJECT_ROOT, 'data'));
    expect(c.timeZone).to.equal('Asia/Dhaka');
    expect(c.seedDemo).to.equal(true);
    expect(c.cookieSecure).to.equal(false);
  });

  it('when values are given, then they are parsed and typed', () => {
    const c = loadConfig({ PORT: '8080', MONGODB_URI: 'mongodb://db1:27017,db2:27017/x?replicaSet=rs0', SMTP_SECURE: 'true', DATA_DIR: '/var/lib/udbhabon' });
    expect(c.port).to.equal(8080);
    expect(c.db.uri).to.equal('mongodb://db1:27017,db2:27017/x?replicaSet=rs0');
    expect(c.mail.secure).to.equal(true);
    expect(c.dataDir).to.equal('/var/lib/udbhabon');
  });

  it('when a variable is empty, then it counts as not set', () => {
    expect(loadConfig({ MONGODB_URI: '', PORT: '' }).db.uri).to.equal(undefined);
  });

  it('when values are bad, then one ConfigError names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ MONGODB_URI: 'not-a-uri', PORT: 'abc', LOG_LEVEL: 'loud', SMTP_SECURE: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.variable).sort()).to.deep.equal(['LOG_LEVEL', 'MONGODB_URI', 'PORT', 'SMTP_SECURE']);
    expect(message).to.match(/^Configuration error/);
    expect(message).to.include('MONGODB_URI: is not a MongoDB connection string');
  });

  it('when production has no SESSION_SECRET, then start-up is refused', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/x' })).to.throw(ConfigError, /SESSION_SECRET/);
    const c = loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/x', SESSION_SECRET: 'x'.repeat(32) });
    expect(c.cookieSecure).to.equal(true);
    expect(c.seedDemo).to.equal(false);
  });

  it('when the config is loaded, then it cannot be changed', () => {
    const c = loadConfig({});
    expect(() => {
      (c as { port: number }).port = 1;
    }).to.throw(TypeError);
    expect(() => {
      (c.db as { name: string }).name = 'other';
    }).to.throw(TypeError);
  });

  it('when .env.example is read, then it lists every variable the app reads', () => {
    const listed = new Set(
      fs
        .readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split('=')[0]),
    );
    expect(CONFIG_VARIABLES.length).to.be.greaterThan(15);
    expect(CONFIG_VARIABLES.filter((v) => !listed.has(v))).to.deep.equal([]);
  });
});
