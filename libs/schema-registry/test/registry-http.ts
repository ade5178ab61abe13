/*
 * A thin fetch client for the Confluent REST API, used by the conformance suite
 * so it can drive any registry (ours, Confluent's, Karapace, Apicurio's ccompat).
 */
import {
  registryAuthHeaders,
  registryCredentialsFromEnv,
  type RegistryCredentials,
} from '@bus/contracts';

export const CONFLUENT_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface HttpAnswer<T = unknown> {
  readonly status: number;
  readonly contentType: string;
  readonly body: T;
}

export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
}

export class RegistryHttp {
  /** Credentials: the test worker's (the stack's admin) unless given; null sends none. */
  constructor(
    readonly baseUrl: string,
    private readonly credentials:
      RegistryCredentials | null | undefined = registryCredentialsFromEnv(),
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { raw?: string | Buffer; contentType?: string } = {},
  ): Promise<HttpAnswer<T>> {
    const payload =
      options.raw !== undefined
        ? options.raw
        : body === undefined
          ? undefined
          : JSON.stringify(body);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Accept: CONFLUENT_CONTENT_TYPE,
        ...(this.credentials ? registryAuthHeaders(this.credentials) : {}),
        ...(payload === undefined
          ? {}
          : { 'Content-Type': options.contentType ?? CONFLUENT_CONTENT_TYPE }),
      },
      ...(payload === undefined ? {} : { body: payload }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Left as text: some errors (a proxy, a crash) are not JSON, and the assertion will say so.
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: parsed as T,
    };
  }

  register(subject: string, schema: unknown) {
    return this.request<{ id: number } & ErrorBody>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { schema: JSON.stringify(schema) },
    );
  }

  lookup(subject: string, schema: unknown, query = '') {
    return this.request<
      { subject: string; version: number; id: number; schema: string } & ErrorBody
    >('POST', `/subjects/${encodeURIComponent(subject)}${query}`, {
      schema: JSON.stringify(schema),
    });
  }

  versions(subject: string, query = '') {
    return this.request<number[] & ErrorBody>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions${query}`,
    );
  }

  version(subject: string, version: string | number, query = '') {
    return this.request<
      { subject: string; version: number; id: number; schema: string } & ErrorBody
    >('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}${query}`);
  }

  setLevel(subject: string, compatibility: string) {
    return this.request<{ compatibility: string } & ErrorBody>(
      'PUT',
      `/config/${encodeURIComponent(subject)}`,
      { compatibility },
    );
  }

  check(subject: string, schema: unknown, version?: string) {
    const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions${version ? `/${version}` : ''}?verbose=true`;
    return this.request<{ is_compatible: boolean; messages?: string[] } & ErrorBody>('POST', path, {
      schema: JSON.stringify(schema),
    });
  }

  deleteSubject(subject: string, permanent = false) {
    return this.request<number[] & ErrorBody>(
      'DELETE',
      `/subjects/${encodeURIComponent(subject)}${permanent ? '?permanent=true' : ''}`,
    );
  }
}

/** A small record schema whose name makes it unique to the test that made it. */
export function citizenSchema(tag: string, extraFields: unknown[] = []): Record<string, unknown> {
  return {
    type: 'record',
    name: 'CitizenChanged',
    namespace: 'vn.gov.population.events.test',
    doc: `conformance ${tag}`,
    fields: [
      { name: 'personalId', type: 'string' },
      {
        name: 'tag',
        type: { type: 'enum', name: `Tag_${tag.replace(/[^A-Za-z0-9_]/g, '_')}`, symbols: ['A'] },
      },
      ...extraFields,
    ],
  };
}
