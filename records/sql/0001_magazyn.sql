-- The records store in PostgreSQL: the same contents as the TinyDB files of dane/, one set of
-- tables for every office in the database. Row-level security keeps each office's rows apart:
-- a row belongs to the office whose database account wrote it (`osrodek = current_user`), and
-- an office's account sees and changes only its own rows; after SET ROLE (to the group role,
-- say) it sees none (`current_user = session_user`). FORCE applies it to the tables' owner too;
-- only a superuser or a BYPASSRLS account sees across offices, and asystent refuses to run as
-- one. Applied with search_path = pg_catalog, pg_temp: every name here is qualified. The office
-- and case-key columns collate as "C" (bytes, as Python sorts), the collation of current_user:
-- with another one the office's condition could not use the indexes.

CREATE SCHEMA IF NOT EXISTS asystent;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'asystent_osrodki') THEN
        CREATE ROLE asystent_osrodki NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA asystent TO asystent_osrodki;

CREATE TABLE asystent.sprawy (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    klucz text COLLATE "C" NOT NULL,
    zmiana bigint NOT NULL DEFAULT 1,  -- +1 at every write: the stamp saved facts are checked by
    PRIMARY KEY (osrodek, klucz)
);

-- One accepted form, exactly as the embedded store keeps it (`nr`: order of acceptance).
CREATE TABLE asystent.rekordy (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    klucz text COLLATE "C" NOT NULL,
    nr integer NOT NULL,
    tresc json NOT NULL,
    PRIMARY KEY (osrodek, klucz, nr),
    FOREIGN KEY (osrodek, klucz) REFERENCES asystent.sprawy ON DELETE CASCADE
);

-- The first record of each case: its number as first recorded (`case_numbers`, `find_case`).
CREATE INDEX rekordy_pierwsze ON asystent.rekordy (osrodek, klucz) WHERE nr = 1;

CREATE TABLE asystent.dokumenty (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    klucz text COLLATE "C" NOT NULL,
    nazwa text NOT NULL,
    nr integer NOT NULL,
    tresc json NOT NULL,
    PRIMARY KEY (osrodek, klucz, nazwa),
    FOREIGN KEY (osrodek, klucz) REFERENCES asystent.sprawy ON DELETE CASCADE
);

CREATE TABLE asystent.archiwizacje (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    klucz text COLLATE "C" NOT NULL,
    nr integer NOT NULL,
    tresc json NOT NULL,
    PRIMARY KEY (osrodek, klucz, nr),
    FOREIGN KEY (osrodek, klucz) REFERENCES asystent.sprawy ON DELETE CASCADE
);

-- Facts of a case as of its last write (`records.kept_facts`): derived, rebuildable.
CREATE TABLE asystent.fakty (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    klucz text COLLATE "C" NOT NULL,
    dane bytea NOT NULL,
    PRIMARY KEY (osrodek, klucz),
    FOREIGN KEY (osrodek, klucz) REFERENCES asystent.sprawy ON DELETE CASCADE
);

-- Exactly once: one row per accepted file, by the sha256 of its bytes.
CREATE TABLE asystent.przyjete (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    sha256 text NOT NULL,
    tresc json NOT NULL,
    PRIMARY KEY (osrodek, sha256)
);

CREATE TABLE asystent.nadawcy (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    skrot text NOT NULL,
    tresc json NOT NULL,
    PRIMARY KEY (osrodek, skrot)
);

CREATE TABLE asystent.proby (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    sha256 text NOT NULL,
    tresc json NOT NULL,
    PRIMARY KEY (osrodek, sha256)
);

-- Erased cases: keyed hashes of their numbers (no case numbers), and the office's key for them.
CREATE TABLE asystent.usuniete (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    znacznik text NOT NULL,
    dzien text NOT NULL,
    PRIMARY KEY (osrodek, znacznik)
);

CREATE TABLE asystent.sekrety (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user PRIMARY KEY,
    sekret text NOT NULL
);

-- The key of the office's advisory locks (the write lock, the watcher's lease): advisory locks
-- have no rights, so their numbers come from a key only the office can read.
CREATE TABLE asystent.zamki (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user PRIMARY KEY,
    klucz text NOT NULL
);

-- The hash-chained audit trail, line by line as in audyt.jsonl. An office may add lines and
-- (erasing a case) rewrite them, never delete them.
CREATE TABLE asystent.audyt (
    osrodek text COLLATE "C" NOT NULL DEFAULT current_user,
    nr bigint NOT NULL,
    linia text NOT NULL,
    PRIMARY KEY (osrodek, nr)
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['sprawy', 'rekordy', 'dokumenty', 'archiwizacje', 'fakty',
                                'przyjete', 'nadawcy', 'proby', 'usuniete', 'sekrety', 'zamki',
                                'audyt']
    LOOP
        EXECUTE format('ALTER TABLE asystent.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE asystent.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY osrodek ON asystent.%I '
                       'USING (osrodek = current_user::text AND (current_user = session_user) IS TRUE) '
                       'WITH CHECK (osrodek = current_user::text AND (current_user = session_user) IS TRUE)',
                       name);
        IF name = 'audyt' THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE ON asystent.%I TO asystent_osrodki', name);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON asystent.%I '
                           'TO asystent_osrodki', name);
        END IF;
    END LOOP;
END
$$;

GRANT SELECT ON asystent.wersje TO asystent_osrodki;
