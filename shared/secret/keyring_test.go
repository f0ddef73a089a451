package secret_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func key(b byte) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(b), 32)))
}

func TestSealOpenRoundTripAndBinding(t *testing.T) {
	t.Parallel()
	kr, err := secret.Parse("a:" + key('a'))
	require.NoError(t, err)
	ad := secret.AD("users", 7, "broker_credentials")
	sealed, err := kr.Seal([]byte("metaapi-token"), ad)
	require.NoError(t, err)
	require.NotContains(t, string(sealed), "metaapi-token")
	pt, err := kr.Open(sealed, ad)
	require.NoError(t, err)
	require.Equal(t, "metaapi-token", string(pt))

	_, err = kr.Open(sealed, secret.AD("users", 8, "broker_credentials"))
	require.ErrorIs(t, err, secret.ErrOpen, "another row")
	_, err = kr.Open(sealed, secret.AD("users", 7, "email"))
	require.ErrorIs(t, err, secret.ErrOpen, "another field")
	tampered := append([]byte{}, sealed...)
	tampered[len(tampered)-1] ^= 1
	_, err = kr.Open(tampered, ad)
	require.ErrorIs(t, err, secret.ErrOpen)
	_, err = kr.Open([]byte("x"), ad)
	require.ErrorIs(t, err, secret.ErrFormat)
}

func TestOldKeysDecryptAndUnknownKeyFails(t *testing.T) {
	t.Parallel()
	old, err := secret.Parse("k1:" + key('1'))
	require.NoError(t, err)
	ad := secret.AD("journal_entries", 1, "text_sealed")
	sealed, err := old.Seal([]byte("dear diary"), ad)
	require.NoError(t, err)

	rotated, err := secret.Parse("k2:" + key('2') + ",k1:" + key('1'))
	require.NoError(t, err)
	require.Equal(t, "k2", rotated.Primary())
	pt, err := rotated.Open(sealed, ad)
	require.NoError(t, err)
	require.Equal(t, "dear diary", string(pt))
	require.True(t, rotated.NeedsRotation(sealed))

	fresh, err := rotated.Reseal(sealed, ad)
	require.NoError(t, err)
	id, _ := secret.KeyID(fresh)
	require.Equal(t, "k2", id)

	onlyNew, err := secret.Parse("k2:" + key('2'))
	require.NoError(t, err)
	_, err = onlyNew.Open(sealed, ad)
	require.ErrorIs(t, err, secret.ErrUnknownKey)
	require.ErrorContains(t, err, `"k1"`)
}

func TestParseReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := secret.Parse("a:short,b:" + key('b') + ",b:" + key('c') + ",nokey")
	require.Error(t, err)
	for _, want := range []string{`key "a"`, `"b" appears twice`, "key 4"} {
		require.ErrorContains(t, err, want)
	}
	_, err = secret.Parse("")
	require.Error(t, err)
}

func TestRotateReencryptsResumably(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.DB(t, "observer")
	old, _ := secret.Parse("k1:" + key('1'))
	var uid int64
	require.NoError(t, db.QueryRowContext(ctx, "INSERT INTO users (anonymous, created_at, updated_at) VALUES (true, now(), now()) RETURNING id").Scan(&uid))
	for i := range 7 {
		var id int64
		require.NoError(t, db.QueryRowContext(ctx, "SELECT nextval(pg_get_serial_sequence('journal_entries', 'id'))").Scan(&id))
		sealed, err := old.Seal([]byte("entry "+string(rune('a'+i))), secret.AD("journal_entries", id, "text_sealed"))
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, "INSERT INTO journal_entries (id, user_id, text_sealed, module_at_time, created_at) OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, '0', now())", id, uid, sealed)
		require.NoError(t, err)
	}
	kr, _ := secret.Parse("k2:" + key('2') + ",k1:" + key('1'))
	f := secret.Field{Table: "journal_entries", Column: "text_sealed", IDColumn: "id"}
	rep, err := secret.Rotate(ctx, db, kr, f, 3)
	require.NoError(t, err)
	require.Equal(t, 7, rep.Rotated)
	rep, err = secret.Rotate(ctx, db, kr, f, 3)
	require.NoError(t, err)
	require.Equal(t, 0, rep.Rotated, "a second run finds nothing to do")
	require.Equal(t, 7, rep.Unchanged)

	onlyNew, _ := secret.Parse("k2:" + key('2'))
	rows, err := db.QueryContext(ctx, "SELECT id, text_sealed FROM journal_entries ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sealed []byte
		require.NoError(t, rows.Scan(&id, &sealed))
		_, err := onlyNew.Open(sealed, secret.AD("journal_entries", id, "text_sealed"))
		require.NoError(t, err, "row %d opens with the new key alone", id)
	}
}

// A value written while rotate-keys runs is not replaced by the re-encrypted old value.
func TestRotateKeepsAValueWrittenMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.DB(t, "observer")
	old, _ := secret.Parse("k1:" + key('1'))
	var uid, id int64
	require.NoError(t, db.QueryRowContext(ctx, "INSERT INTO users (anonymous, created_at, updated_at) VALUES (true, now(), now()) RETURNING id").Scan(&uid))
	require.NoError(t, db.QueryRowContext(ctx, "SELECT nextval(pg_get_serial_sequence('journal_entries', 'id'))").Scan(&id))
	ad := secret.AD("journal_entries", id, "text_sealed")
	v1, _ := old.Seal([]byte("first"), ad)
	_, err := db.ExecContext(ctx, "INSERT INTO journal_entries (id, user_id, text_sealed, module_at_time, created_at) OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, '0', now())", id, uid, v1)
	require.NoError(t, err)

	// The application refreshes the value in a transaction that is still open when rotate-keys
	// reaches the row.
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	v2, _ := old.Seal([]byte("refreshed"), ad)
	_, err = tx.ExecContext(ctx, "UPDATE journal_entries SET text_sealed = ? WHERE id = ?", v2, id)
	require.NoError(t, err)

	kr, _ := secret.Parse("k2:" + key('2') + ",k1:" + key('1'))
	done := make(chan error, 1)
	go func() {
		_, err := secret.Rotate(ctx, db, kr, secret.Field{Table: "journal_entries", Column: "text_sealed"}, 10)
		done <- err
	}()
	require.Eventually(t, func() bool { // rotate-keys is waiting for the row
		var n int
		_ = db.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n)
		return n > 0
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, tx.Commit())
	require.NoError(t, <-done)

	var sealed []byte
	require.NoError(t, db.QueryRowContext(ctx, "SELECT text_sealed FROM journal_entries WHERE id = ?", id).Scan(&sealed))
	pt, err := kr.Open(sealed, ad)
	require.NoError(t, err)
	require.Equal(t, "refreshed", string(pt), "the value written meanwhile survives")
	kid, _ := secret.KeyID(sealed)
	require.Equal(t, "k2", kid, "and is re-encrypted under the primary key")
}
