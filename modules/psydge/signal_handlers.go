package psydge

import (
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/vista"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Strategy is one Vista strategy as GET /api/v1/strategies lists it.
type Strategy struct {
	Name       string             `json:"name"`
	Title      string             `json:"title"`
	Timeframes []market.Timeframe `json:"timeframes"`
	MinR       float64            `json:"min_r"`
	MaxR       float64            `json:"max_r"`
	ValidBars  int                `json:"valid_bars"`
}

func (m *Module) listStrategies(c echo.Context) error {
	out := []Strategy{}
	for _, s := range vista.Suite() {
		out = append(out, Strategy{Name: s.Name, Title: s.Title, Timeframes: s.Timeframes, MinR: s.MinR, MaxR: s.MaxR, ValidBars: s.ValidBars})
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) listSignals(c echo.Context) error {
	rows, err := m.Signals(c.Request().Context(), uid(c), strings.ToUpper(c.QueryParam("symbol")), c.QueryParam("live") == "false", limitParam(c, 50, 500))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rows)
}

// ValidateRequest is the body of POST /api/v1/signals/validate.
type ValidateRequest struct {
	Symbol    string `json:"symbol"`
	Timeframe string `json:"timeframe" doc:"M1, M5, M15, M30, H1, H4 or D1"`
	Direction string `json:"direction" enum:"buy,sell"`
}

// Verdict is the pre-entry validator's answer; an approval carries the GO signal it issued.
type Verdict struct {
	Verdict   string     `json:"verdict" enum:"approve,stand_down"`
	Reasoning string     `json:"reasoning"`
	Signal    *SignalRow `json:"signal,omitempty"`
}

// validateSignal is the rule-based pre-entry validator; see Module.Validate.
func (m *Module) validateSignal(c echo.Context) error {
	var req ValidateRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	sym, tf := strings.ToUpper(req.Symbol), market.Timeframe(strings.ToUpper(req.Timeframe))
	dir, ok := requestDirection(req.Direction)
	if !ok {
		return problemField("direction", "must be buy or sell")
	}
	if !tf.Valid() {
		return problemField("timeframe", "must be one of M1, M5, M15, M30, H1, H4, D1")
	}
	v, err := m.Validate(c.Request().Context(), uid(c), sym, tf, dir)
	if err != nil {
		return err
	}
	if v.Signal != nil {
		return c.JSON(http.StatusCreated, v)
	}
	return c.JSON(http.StatusOK, v)
}

// candles answers TradingView Lightweight Charts bars: time in UTC seconds, ascending.
func (m *Module) candles(c echo.Context) error {
	sym := strings.ToUpper(c.QueryParam("symbol"))
	tf, err := market.ParseTimeframe(strings.ToUpper(c.QueryParam("timeframe")))
	if sym == "" {
		return problemField("symbol", "is required")
	}
	if err != nil {
		return problemField("timeframe", "must be one of M1, M5, M15, M30, H1, H4, D1")
	}
	cs, err := m.candleSeries(c.Request().Context(), uid(c), sym, tf, limitParam(c, 300, 1000))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, market.ToBars(cs))
}

func (m *Module) prices(c echo.Context) error {
	var symbols []string
	for _, s := range strings.Split(c.QueryParam("symbols"), ",") {
		if s = strings.ToUpper(strings.TrimSpace(s)); s != "" {
			symbols = append(symbols, s)
		}
	}
	return c.JSON(http.StatusOK, m.Prices(c.Request().Context(), symbols))
}
