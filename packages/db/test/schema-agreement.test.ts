import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prismaSchemaWasm from '@prisma/prisma-schema-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.ts';
import { type OpenedDatabase, targets } from './targets.ts';

// Prisma's own parser reads schema.prisma (the generated client keeps only a trimmed runtime
// model without nullability or native types), so this test sees exactly what Prisma expects.
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: Array<{ name: string; sortOrder?: 'asc' | 'desc' }>;
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: Array<{
      name: string;
      dbName: string | null;
      values: Array<{ name: string; dbName: string | null }>;
    }>;
    indexes: DmmfIndex[];
  };
}

const schemaPath = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
const schemaText = readFileSync(schemaPath, 'utf8');
const parseSchema = (text: string): Dmmf =>
  JSON.parse(prismaSchemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', text]] })));
const dmmf = parseSchema(schemaText);
const models = dmmf.datamodel.models;
const enumNames = new Set(dmmf.datamodel.enums.map((e) => e.dbName ?? e.name));
const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (f: DmmfField) => f.dbName ?? f.name;
const modelByName = new Map(models.map((m) => [m.name, m]));
const columnsOf = (model: DmmfModel, names: string[]) =>
  names.map((n) => {
    const field = model.fields.find((f) => f.name === n);
    if (!field) throw new Error(`${model.name}.${n} not in DMMF`);
    return columnOf(field);
  });

/** How Postgres' format_type() spells the column type Prisma expects for a field. */
function expectedType(field: DmmfField): string {
  let base: string;
  if (field.kind === 'enum') {
    base = /^[a-z_][a-z0-9_]*$/.test(field.type) ? field.type : `"${field.type}"`;
  } else {
    const [native, args = []] = field.nativeType ?? [];
    const precision = args[0] ?? '3';
    switch (field.type) {
      case 'String':
        base = native === 'Uuid' ? 'uuid' : native === 'VarChar' ? `character varying(${args[0]})` : 'text';
        break;
      case 'Int':
        base = native === 'SmallInt' ? 'smallint' : 'integer';
        break;
      case 'BigInt':
        base = 'bigint';
        break;
      case 'Float':
        base = native === 'Real' ? 'real' : 'double precision';
        break;
      case 'Decimal':
        base = `numeric(${args[0] ?? 65},${args[1] ?? 30})`;
        break;
      case 'Boolean':
        base = 'boolean';
        break;
      case 'DateTime':
        base =
          native === 'Date'
            ? 'date'
            : native === 'Timestamptz'
              ? `timestamp(${precision}) with time zone`
              : `timestamp(${precision}) without time zone`;
        break;
      case 'Json':
        base = 'jsonb';
        break;
      case 'Bytes':
        base = 'bytea';
        break;
      default:
        throw new Error(`no Postgres mapping for Prisma type ${field.type} (${field.name})`);
    }
  }
  return field.isList ? `${base}[]` : base;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  not_null: boolean;
}
interface IndexRow {
  table_name: string;
  is_unique: boolean;
  is_primary: boolean;
  columns: string[];
  descending: boolean[];
}
interface ForeignKeyRow {
  table_name: string;
  ref_table: string;
  on_delete: string;
  columns: string[];
  ref_columns: string[];
}

/** Every way the table behind model differs from what Prisma expects; empty when they agree. */
function columnProblems(model: DmmfModel, columns: ColumnRow[]): string[] {
  const table = tableOf(model);
  const actual = new Map(columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c]));
  if (actual.size === 0) return [`table ${table} is missing`];
  const problems: string[] = [];
  for (const field of model.fields) {
    if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
    const where = `${model.name}.${field.name} → ${table}.${columnOf(field)}`;
    const column = actual.get(columnOf(field));
    if (!column) {
      problems.push(`${where} is missing`);
      continue;
    }
    const type = expectedType(field);
    if (column.type !== type) problems.push(`${where} is ${column.type}, expected ${type}`);
    // Scalar lists are non-null arrays in Prisma's types, so they must be NOT NULL too.
    const notNull = field.isRequired || field.isList;
    if (column.not_null !== notNull) problems.push(`${where} should be ${notNull ? 'NOT NULL' : 'nullable'}`);
  }
  return problems;
}

async function catalog(db: Database) {
  const columns = await db.query<ColumnRow>(`
    SELECT c.relname AS table_name, a.attname AS column_name,
           format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND a.attnum > 0 AND NOT a.attisdropped`);
  const enums = await db.query<{ name: string; labels: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  const indexes = await db.query<IndexRow>(`
    SELECT t.relname AS table_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
      (SELECT array_agg(a.attname::text ORDER BY k.ord)
         FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns,
      (SELECT array_agg((o.opt & 1) = 1 ORDER BY o.ord)
         FROM unnest(ix.indoption::int2[]) WITH ORDINALITY AS o(opt, ord)) AS descending
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relkind IN ('r', 'p') AND NOT t.relispartition`);
  const foreignKeys = await db.query<ForeignKeyRow>(`
    SELECT t.relname AS table_name, r.relname AS ref_table, con.confdeltype::text AS on_delete,
      (SELECT array_agg(a.attname::text ORDER BY k.ord)
         FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
      (SELECT array_agg(a.attname::text ORDER BY k.ord)
         FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
    FROM pg_constraint con
    JOIN pg_class t ON t.oid = con.conrelid
    JOIN pg_class r ON r.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE con.contype = 'f' AND n.nspname = 'public' AND NOT t.relispartition`);
  return { columns, enums, indexes, foreignKeys };
}

const ON_DELETE: Record<string, string> = {
  Cascade: 'c',
  SetNull: 'n',
  Restrict: 'r',
  NoAction: 'a',
  SetDefault: 'd',
};

describe.each(targets)('schema.prisma agrees with the migrated database ($name)', (target) => {
  let opened: OpenedDatabase;
  let cat: Awaited<ReturnType<typeof catalog>>;

  beforeAll(async () => {
    opened = await target.open();
    cat = await catalog(opened.db);
  });
  afterAll(() => opened?.cleanup());

  it.each(models.map((m) => [m.name, m] as const))(
    'model %s: table, columns, types, nullability',
    (_n, model) => {
      expect(columnProblems(model, cat.columns)).toEqual([]);
    },
  );

  it('notices a field added to schema.prisma without a migration', () => {
    const drifted = parseSchema(schemaText.replace(/^model User \{$/m, 'model User {\n  nickname String?'));
    const user = drifted.datamodel.models.find((m) => m.name === 'User')!;
    expect(columnProblems(user, cat.columns)).toEqual(['User.nickname → users.nickname is missing']);
  });

  it('has no columns that schema.prisma does not know (Prisma could not write them)', () => {
    const known = new Set(
      models.flatMap((m) =>
        m.fields
          .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
          .map((f) => `${tableOf(m)}.${columnOf(f)}`),
      ),
    );
    const tables = new Set(models.map(tableOf));
    const unknown = cat.columns
      .filter((c) => tables.has(c.table_name))
      .map((c) => `${c.table_name}.${c.column_name}`)
      .filter((c) => !known.has(c));
    expect(unknown).toEqual([]);
  });

  it('has every enum with the declared values in order', () => {
    const actual = new Map(cat.enums.map((e) => [e.name, e.labels]));
    for (const e of dmmf.datamodel.enums) {
      expect(actual.get(e.dbName ?? e.name), `enum ${e.name}`).toEqual(
        e.values.map((v) => v.dbName ?? v.name),
      );
    }
    expect([...actual.keys()].filter((name) => !enumNames.has(name))).toEqual([]);
  });

  it('has every primary key, unique constraint and index', () => {
    for (const index of dmmf.datamodel.indexes) {
      const model = modelByName.get(index.model)!;
      const table = tableOf(model);
      const columns = columnsOf(
        model,
        index.fields.map((f) => f.name),
      );
      const descending = index.fields.map((f) => f.sortOrder === 'desc');
      const match = cat.indexes.find(
        (ix) =>
          ix.table_name === table &&
          ix.is_primary === (index.type === 'id') &&
          ix.is_unique === (index.type === 'id' || index.type === 'unique') &&
          JSON.stringify(ix.columns) === JSON.stringify(columns) &&
          (index.type !== 'normal' || JSON.stringify(ix.descending) === JSON.stringify(descending)),
      );
      expect(match, `${index.type} index on ${table}(${columns.join(', ')})`).toBeDefined();
    }
  });

  it('has every foreign key with the declared onDelete', () => {
    for (const model of models) {
      for (const field of model.fields) {
        if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
        const target = modelByName.get(field.type)!;
        const columns = columnsOf(model, field.relationFromFields);
        const refColumns = columnsOf(target, field.relationToFields ?? []);
        const fk = cat.foreignKeys.find(
          (k) =>
            k.table_name === tableOf(model) &&
            k.ref_table === tableOf(target) &&
            JSON.stringify(k.columns) === JSON.stringify(columns),
        );
        const where = `${model.name}.${field.name} → ${tableOf(target)}`;
        expect(fk, `${where} foreign key`).toBeDefined();
        expect(fk?.ref_columns, `${where} referenced columns`).toEqual(refColumns);
        const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
        expect(fk?.on_delete, `${where} onDelete ${onDelete}`).toBe(ON_DELETE[onDelete]);
      }
    }
  });

  it('range-partitions samples by ts', async () => {
    const rows = await opened.db.query<{ strategy: string; key: string }>(`
      SELECT p.partstrat::text AS strategy, pg_get_partkeydef(p.partrelid) AS key
      FROM pg_partitioned_table p WHERE p.partrelid = 'samples'::regclass`);
    expect(rows).toEqual([{ strategy: 'r', key: 'RANGE (ts)' }]);
  });
});
