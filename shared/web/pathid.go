package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// PathID reads the path parameter name (":id", ":store_id", ":order") as a positive int64.
// Anything else — empty, a sign, letters, zero, a negative number or one past int64 — answers
// 404 "no such <thing>", the same answer a well-formed id of a missing row gets, so a handler
// returns the error as it is:
//
//	id, err := web.PathID(c, "id")
//	if err != nil {
//		return err
//	}
//
// The thing is the parameter's name without an "_id" suffix, with spaces for underscores
// ("store_id" → "no such store"); the bare "id" reads "no such record".
func PathID(c echo.Context, name string) (int64, error) {
	raw := c.Param(name)
	// ParseInt alone would take "+7"; an id is written in digits only, one way.
	if raw == "" || strings.TrimLeft(raw, "0123456789") != "" {
		return 0, NotFound("no such " + pathThing(name))
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, NotFound("no such " + pathThing(name))
	}
	return id, nil
}

func pathThing(name string) string {
	thing := strings.TrimSuffix(name, "_id")
	if thing == "" || thing == "id" {
		return "record"
	}
	return strings.ReplaceAll(thing, "_", " ")
}
