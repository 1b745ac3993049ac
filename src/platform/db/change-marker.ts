// A change marker: one small document per topic, replaced with a new random value on every change (never
// $inc: see database.md). In-process caches compare it, by an _id read at most every `checkEveryMs`, to know
// when another instance changed what they hold; a change made by this instance is seen at once.
import crypto from 'node:crypto';
import mongoose from 'mongoose';

const COLLECTION = 'change_markers';

export class ChangeMarker {
  private value: string | undefined;
  private checkedAt = 0;
  private local = 0;

  constructor(
    private readonly topic: string,
    private readonly checkEveryMs = 500,
  ) {}

  private collection() {
    const db = mongoose.connection.db;
    if (!db) throw new Error('database not connected');
    return db.collection<{ _id: string; value: string }>(COLLECTION);
  }

  /** Records a change (call after the write). */
  async bump(): Promise<void> {
    this.local += 1;
    try {
      await this.collection().replaceOne({ _id: this.topic }, { value: crypto.randomUUID() }, { upsert: true });
    } catch (err) {
      // Two first bumps of a topic race on the embedded engine (its upsert is read-then-insert): the other
      // writer's insert has just changed the marker, which is all a bump needs.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }

  /**
   * A token that changes whenever the topic changed (here at once, elsewhere within checkEveryMs): caches keep
   * what they computed under one token and drop it when the token differs.
   */
  async version(): Promise<string> {
    const now = Date.now();
    if (this.value === undefined || now - this.checkedAt > this.checkEveryMs) {
      this.value = (await this.collection().findOne({ _id: this.topic }))?.value ?? 'none';
      this.checkedAt = now;
    }
    return `${this.value}:${this.local}`;
  }
}

const markers = new Map<string, ChangeMarker>();

/** The process-wide marker of a topic. */
export function changeMarker(topic: string): ChangeMarker {
  let m = markers.get(topic);
  if (!m) markers.set(topic, (m = new ChangeMarker(topic)));
  return m;
}

const WRITES = ['save', 'updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndDelete', 'insertMany'] as const;

/** Bumps the topic's marker after every write through this schema's model (declare before the model is built). */
export function bumpOnWrite(schema: mongoose.Schema, topic: string): void {
  for (const op of WRITES) {
    schema.post(op as 'save', async function () {
      await changeMarker(topic).bump();
    });
  }
}
