// The OpenAPI 3 document, grown by each feature as it registers its endpoints (served at /api/v1/openapi.json).
import { z } from 'zod';

export interface ApiOperation {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. /api/v1/initiatives/{id} */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** Omit for public endpoints. */
  readonly auth?: boolean;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly bodyContentType?: string;
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType; contentType?: string }>>;
}

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe('Bangla first; English when the caller asks for it'),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/** What a request body must be for one operation (see bodyFor). */
export interface BodyContract {
  readonly contentType: string;
  readonly path: string;
}

export class OpenApiRegistry {
  private readonly operations: ApiOperation[] = [];
  private matchers: { method: string; pattern: RegExp; params: number; contract: BodyContract | undefined }[] | undefined;

  add(operation: ApiOperation): void {
    this.operations.push(operation);
    this.matchers = undefined;
  }

  /** Every documented operation, as registered (tests compare the document with the validators). */
  list(): readonly ApiOperation[] {
    return this.operations;
  }

  /**
   * The body contract of the operation a request reaches (by method and URL path), or undefined when that
   * operation takes no body or is not documented. A literal segment wins over a {param} (signing-queue
   * before {meetingId}), as the routers declare them.
   */
  bodyFor(method: string, urlPath: string): BodyContract | undefined {
    this.matchers ??= this.operations
      .map((op) => ({
        method: op.method.toUpperCase(),
        pattern: new RegExp(`^${op.path.split(/\{\w+\}/).map(escapeRegExp).join('[^/]+')}/?$`),
        params: (op.path.match(/\{\w+\}/g) ?? []).length,
        contract: op.body ? { contentType: op.bodyContentType ?? 'application/json', path: op.path } : undefined,
      }))
      .sort((a, b) => a.params - b.params);
    const m = method.toUpperCase();
    return this.matchers.find((x) => x.method === m && x.pattern.test(urlPath))?.contract;
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const queryParams = op.query
        ? Object.entries(op.query.shape).map(([name, schema]) => ({
            name,
            in: 'query',
            required: !(schema as z.ZodType).safeParse(undefined).success,
            schema: toJsonSchema(schema as z.ZodType),
          }))
        : [];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: toJsonSchema(r.schema) } } } : {}),
        };
      }
      responses.default = {
        description: 'Error',
        content: { 'application/json': { schema: toJsonSchema(errorSchema) } },
      };
      (paths[op.path] ??= {})[op.method] = {
        summary: op.summary,
        tags: op.tags,
        ...(op.auth ? { security: [{ bearerAuth: [] }, { cookieAuth: [] }] } : { security: [] }),
        parameters: [...params, ...queryParams],
        ...(op.body
          ? {
              requestBody: {
                required: op.method !== 'delete',
                // What a client must send: a field with a default is optional to send ("input"), though it is
                // always present once parsed ("output" would mark it required and promise a refusal).
                content: { [op.bodyContentType ?? 'application/json']: { schema: toJsonSchema(op.body, 'input') } },
              },
            }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Udbhabon API',
        version: '1',
        description: 'Innovation work of Bangladesh government offices. Messages are Bangla first.',
      },
      servers: [{ url: '/' }],
      paths,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'udbhabon.sid' },
        },
      },
    };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): unknown {
  try {
    return z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io });
  } catch {
    return {};
  }
}
