package web_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// The structs a handler binds and answers are the schemas; tags add what Go cannot say.
type Trade struct {
	ID        int64      `json:"id"`
	Symbol    string     `json:"symbol"`
	Direction string     `json:"direction" enum:"buy,sell"`
	StopLoss  float64    `json:"stop_loss" doc:"price"`
	ClosedAt  *time.Time `json:"closed_at"` // null while open
}

type TradeTicket struct {
	Symbol    string  `json:"symbol"`
	Direction string  `json:"direction" enum:"buy,sell"`
	StopLoss  float64 `json:"stop_loss"`
	Comment   string  `json:"comment,omitempty"` // optional
}

// Validate makes BindJSON answer 422, so the document lists 422 too.
func (t *TradeTicket) Validate() []web.FieldError { return nil }

type TradeFilter struct {
	Status string `query:"status" enum:"open,closed" doc:"only trades in this state"`
}

func ExampleAPI() {
	e := echo.New()
	api := web.NewAPI("Trading API", "1")
	api.Description = "Errors are problem+json."
	api.SessionCookie = "psydge_session" // d.Accounts.CookieName() in a module

	// Mount and document in one call; the group's prefix is part of the documented path.
	trades := api.On(e.Group("/api/v1"), "trades")
	trades.GET("/trades", listTrades, web.Operation{
		Summary:   "Trade history",
		Query:     TradeFilter{},
		Responses: web.OK(web.Fields{"trades": []Trade{}}),
	})
	trades.POST("/trades", placeTrade, web.Operation{
		Summary:   "Place an order",
		Request:   TradeTicket{},
		Params:    []web.Param{{Name: "Idempotency-Key", In: "header", Description: "repeats answer the first result"}},
		Responses: web.Created(Trade{}),
		Problems:  []int{http.StatusForbidden, http.StatusConflict},
	})
	trades.GET("/trades/:id", getTrade, web.Operation{
		Summary:   "One trade",
		Responses: web.OK(Trade{}),
		Problems:  []int{http.StatusNotFound},
	})
	api.On(e.Group("/api/v1"), "market").GET("/prices", getTrade, web.Operation{
		Summary:   "Latest quotes",
		Auth:      web.AuthNone,
		Responses: web.OK(web.Fields{"prices": map[string]float64{}}),
	})
	// /api/openapi.json and the viewer at /api/docs.
	api.Mount(e, "/api")
	// In the module's tests: openapitest.Check(t, e, api.JSON(), openapitest.Skip(<HTML pages>)).

	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any        `json:"responses"`
			Security  []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(api.JSON(), &doc); err != nil {
		panic(err)
	}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths)) {
		for _, method := range []string{"get", "post"} {
			if op, ok := doc.Paths[path][method]; ok {
				var codes, auth []string
				for code := range op.Responses {
					codes = append(codes, code)
				}
				for _, alt := range op.Security {
					var names []string
					for name := range alt {
						names = append(names, name)
					}
					slices.Sort(names)
					auth = append(auth, strings.Join(names, "+"))
				}
				slices.Sort(codes)
				fmt.Printf("%-4s %-19s %v auth=%v\n", strings.ToUpper(method), path, codes, auth)
			}
		}
	}
	// Output:
	// GET  /api/v1/prices      [200 default] auth=[]
	// GET  /api/v1/trades      [200 401 default] auth=[session bearer]
	// POST /api/v1/trades      [201 400 401 403 409 415 422 default] auth=[csrf+session bearer]
	// GET  /api/v1/trades/{id} [200 401 404 default] auth=[session bearer]
}

func listTrades(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"trades": []Trade{}})
}
func placeTrade(c echo.Context) error { return c.JSON(http.StatusCreated, Trade{}) }
func getTrade(c echo.Context) error   { return c.JSON(http.StatusOK, Trade{}) }
