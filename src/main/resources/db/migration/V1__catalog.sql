-- The product catalog, as last written to the catalog topic.
CREATE TABLE products (
    id            varchar(128)  PRIMARY KEY,
    title         varchar(300)  NOT NULL,
    description   text          NOT NULL DEFAULT '',
    brand         varchar(200),
    category_path varchar(1000) NOT NULL,
    tags          text[]        NOT NULL DEFAULT '{}',
    price         numeric(14,4) NOT NULL CHECK (price >= 0),
    currency      char(3)       NOT NULL,
    image_url     varchar(2048),
    in_stock      boolean       NOT NULL,
    updated_at    timestamptz   NOT NULL
);
CREATE INDEX products_brand_idx ON products (lower(brand));
CREATE INDEX products_category_idx ON products (category_path);
