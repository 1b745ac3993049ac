// The in-process event bus: typed publish/subscribe, one per app, a failing handler logged and never thrown
// to the publisher.
import { expect } from 'chai';
import type { Logger } from '../../../src/platform/logger.js';
import { createEventBus } from '../../../src/platform/events/index.js';

type Events = { 'thing.happened': { id: string } };

function recordingLogger(): { logger: Logger; errors: unknown[] } {
  const errors: unknown[] = [];
  const logger = { error: (obj: unknown) => void errors.push(obj) } as unknown as Logger;
  return { logger, errors };
}

describe('event bus', () => {
  it('when a handler throws, then the publisher is not failed, the error is logged and the later handlers still run', async () => {
    const { logger, errors } = recordingLogger();
    const bus = createEventBus<Events>(logger);
    const seen: string[] = [];
    bus.subscribe('thing.happened', () => {
      throw new Error('boom');
    }, 'failing');
    bus.subscribe('thing.happened', async ({ id }) => void seen.push(id), 'second');
    await bus.publish('thing.happened', { id: 'a' });
    expect(seen).to.deep.equal(['a']);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ event: 'thing.happened', handler: 'failing' });
  });

  it('when two buses exist (two apps in one process), then a publish on one reaches only its own subscribers; an unsubscribed handler is not called', async () => {
    const a = createEventBus<Events>(recordingLogger().logger);
    const b = createEventBus<Events>(recordingLogger().logger);
    const seen: string[] = [];
    a.subscribe('thing.happened', ({ id }) => void seen.push(`a:${id}`));
    const off = b.subscribe('thing.happened', ({ id }) => void seen.push(`b:${id}`));
    await a.publish('thing.happened', { id: '1' });
    await b.publish('thing.happened', { id: '2' });
    off();
    await b.publish('thing.happened', { id: '3' });
    expect(seen).to.deep.equal(['a:1', 'b:2']);
  });
});
