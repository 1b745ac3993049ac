// Which database errors count as "the engine is away, try again": one classifier for the error handler and the
// read retry. Real errors from the driver where they can be had (a server that is not there), constructed
// ones for the server's own codes.
import { expect } from 'chai';
import { BSON, MongoClient, MongoNetworkError, MongoServerError } from 'mongodb';
import mongoose from 'mongoose';
import { isTransientDbError } from '../../../src/platform/db/transient.js';

describe('transient database errors', () => {
  it('when no server answers at the address, then the driver error is transient', async function () {
    this.timeout(20_000);
    const client = new MongoClient('mongodb://127.0.0.1:1/?directConnection=true', { serverSelectionTimeoutMS: 300 });
    let caught: unknown;
    try {
      await client.db('x').collection('y').findOne({ _id: 1 as never });
    } catch (err) {
      caught = err;
    } finally {
      await client.close();
    }
    expect(caught).to.be.instanceOf(Error);
    expect(isTransientDbError(caught)).to.equal(true);
  });

  it('when a connection is closed or reset, or the reply is out of step, then it is transient', () => {
    expect(isTransientDbError(new MongoNetworkError('connection 4 to 127.0.0.1:27017 closed'))).to.equal(true);
    expect(isTransientDbError(new BSON.BSONError('BSON element "cursor" is missing'))).to.equal(true);
    expect(isTransientDbError(new mongoose.Error('Operation `users.findOne()` buffering timed out after 10000ms'))).to.equal(true);
  });

  it('when the server says it is shutting down or not primary, then it is transient', () => {
    for (const code of [91, 189, 10107, 11600, 13435]) {
      expect(isTransientDbError(new MongoServerError({ code, errmsg: 'server going away' })), String(code)).to.equal(true);
    }
    expect(isTransientDbError(new MongoServerError({ errmsg: 'not primary' }))).to.equal(true);
  });

  it('when the error is wrapped as the cause of another, then the cause decides', () => {
    expect(isTransientDbError(new Error('saving failed', { cause: new MongoNetworkError('read ECONNRESET') }))).to.equal(true);
  });

  it('when the error is about the request or the code (duplicate key, validation, a bug), then it is not transient', () => {
    expect(isTransientDbError(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' }))).to.equal(false);
    expect(isTransientDbError(new mongoose.Error.ValidationError())).to.equal(false);
    expect(isTransientDbError(new TypeError('Cannot read properties of undefined (reading "closed")'))).to.equal(false);
    expect(isTransientDbError(new Error('connection closed'))).to.equal(false);
    expect(isTransientDbError(undefined)).to.equal(false);
    expect(isTransientDbError('MongoNetworkError')).to.equal(false);
  });
});
