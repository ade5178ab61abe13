-- Up Migration
-- Personal taxpayers keyed by the personal ID (the tax code since 1 July 2025).
CREATE TABLE taxpayers (
  tax_code            text PRIMARY KEY,
  full_name           text NOT NULL,
  date_of_birth       text NOT NULL,
  province_code       text,
  managing_authority  text,
  status              text NOT NULL,
  closed_on           text,
  successor_tax_code  text
);

-- Dependants for family deductions, from the child's parent links.
CREATE TABLE tax_dependants (
  taxpayer_code   text NOT NULL,
  dependant_code  text NOT NULL,
  relation        text NOT NULL,
  PRIMARY KEY (taxpayer_code, dependant_code)
);

-- Down Migration
DROP TABLE tax_dependants;
DROP TABLE taxpayers;
