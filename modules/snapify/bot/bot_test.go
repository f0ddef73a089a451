package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/bot"
	"github.com/stretchr/testify/require"
)

// fakeShop is an in-memory store side: one store per seller, products by name.
type fakeShop struct {
	stores   map[string]*bot.StoreInfo
	opened   []bot.NewStore
	products map[string]*bot.ProductInfo // by lower-case title
	added    []bot.NewProduct
	orders   []bot.OrderInfo
	statuses []string
}

func newShop() *fakeShop {
	return &fakeShop{stores: map[string]*bot.StoreInfo{}, products: map[string]*bot.ProductInfo{}}
}

func (f *fakeShop) StoreOf(_ context.Context, waID string) (*bot.StoreInfo, error) {
	return f.stores[waID], nil
}

func (f *fakeShop) OpenStore(_ context.Context, waID string, s bot.NewStore) (*bot.StoreInfo, error) {
	f.opened = append(f.opened, s)
	st := &bot.StoreInfo{Slug: strings.ToLower(strings.ReplaceAll(s.Name, " ", "-")), Name: s.Name}
	st.URL = "https://snapify.pk/" + st.Slug
	f.stores[waID] = st
	return st, nil
}

func (f *fakeShop) AddProduct(_ context.Context, waID, store string, p bot.NewProduct) (*bot.ProductInfo, error) {
	st := f.stores[waID]
	if st == nil || st.Slug != store {
		return nil, &bot.UserError{Msg: "no store"}
	}
	f.added = append(f.added, p)
	st.Products++
	info := &bot.ProductInfo{Title: p.Title, PricePaisa: p.PricePaisa, URL: st.URL + "/x", StoreURL: st.URL, First: st.Products == 1}
	f.products[strings.ToLower(p.Title)] = info
	return info, nil
}

func (f *fakeShop) find(name string) (*bot.ProductInfo, error) {
	p := f.products[strings.ToLower(name)]
	if p == nil {
		return nil, &bot.UserError{Msg: fmt.Sprintf("No product matches “%s”.", name)}
	}
	return p, nil
}

func (f *fakeShop) SetPrice(_ context.Context, _, _, product string, paisa int64) (*bot.ProductInfo, error) {
	p, err := f.find(product)
	if err == nil {
		p.PricePaisa = paisa
	}
	return p, err
}

func (f *fakeShop) SetStock(_ context.Context, _, _, product string, n int) (*bot.ProductInfo, error) {
	p, err := f.find(product)
	if err == nil {
		p.Stock = &n
		if n < 0 {
			p.Stock = nil
		}
	}
	return p, err
}

func (f *fakeShop) RecentOrders(context.Context, string, string, int) ([]bot.OrderInfo, error) {
	return f.orders, nil
}

func (f *fakeShop) Order(_ context.Context, _, _, number string) (*bot.OrderInfo, error) {
	for i := range f.orders {
		if f.orders[i].Number == number {
			return &f.orders[i], nil
		}
	}
	return nil, &bot.UserError{Msg: "No order " + number + " in your store."}
}

func (f *fakeShop) SetOrderStatus(ctx context.Context, waID, store, number, status string) (*bot.OrderInfo, error) {
	o, err := f.Order(ctx, waID, store, number)
	if err != nil {
		return nil, err
	}
	f.statuses = append(f.statuses, number+"→"+status)
	o.Status, o.Next = status, nil
	return o, nil
}

type fakeMedia map[string]string // id → mime

func (m fakeMedia) Download(_ context.Context, id string, _ int64) ([]byte, string, error) {
	mime, ok := m[id]
	if !ok {
		return nil, "", fmt.Errorf("media %s: %w", id, bot.ErrMediaUnavailable)
	}
	return []byte("bytes of " + id), mime, nil
}

type fakeVoice map[string]string // audio bytes → transcript

func (v fakeVoice) Transcribe(_ context.Context, audio []byte, filename, mime string) (string, error) {
	if v == nil {
		return "", bot.ErrNoTranscriber
	}
	if string(audio) == "bytes of broken" {
		return "", fmt.Errorf("unknown format: %w", bot.ErrMediaUnavailable)
	}
	if !strings.HasPrefix(mime, "audio/") || !strings.HasPrefix(filename, "voice.") {
		return "", fmt.Errorf("bad upload %s %s", filename, mime)
	}
	return v[string(audio)], nil
}

type chat struct {
	t   *testing.T
	b   *bot.Bot
	s   bot.Session
	raw []byte // the session as the module would store it between messages
}

// send runs one message, then stores and reloads the session as JSON, as the module does.
func (c *chat) send(in bot.Input) []bot.Reply {
	c.t.Helper()
	var s bot.Session
	require.NoError(c.t, json.Unmarshal(c.raw, &s))
	out, err := c.b.Handle(context.Background(), &s, in)
	require.NoError(c.t, err)
	c.raw, err = json.Marshal(s)
	require.NoError(c.t, err)
	c.s = s
	require.NotEmpty(c.t, out)
	for _, r := range out {
		checkLimits(c.t, r)
	}
	return out
}

func text(t string) bot.Input { return bot.Input{Kind: bot.KindText, Text: t} }
func tap(id string) bot.Input { return bot.Input{Kind: bot.KindChoice, Choice: id} }
func photo(id, caption string) bot.Input {
	return bot.Input{Kind: bot.KindImage, MediaID: id, Text: caption}
}

// checkLimits holds every reply to Meta's limits.
func checkLimits(t *testing.T, r bot.Reply) {
	t.Helper()
	require.NotEmpty(t, r.Text)
	require.LessOrEqual(t, len(r.Buttons), bot.MaxButtons)
	require.False(t, len(r.Buttons) > 0 && r.List != nil)
	for _, b := range r.Buttons {
		require.LessOrEqual(t, utf8.RuneCountInString(b.Title), bot.MaxButtonTitle, b.Title)
	}
	if r.List != nil {
		require.NotEmpty(t, r.List.Rows)
		require.LessOrEqual(t, len(r.List.Rows), bot.MaxRows)
		require.LessOrEqual(t, utf8.RuneCountInString(r.List.Button), bot.MaxButtonTitle)
		for _, row := range r.List.Rows {
			require.LessOrEqual(t, utf8.RuneCountInString(row.Title), bot.MaxRowTitle, row.Title)
			require.LessOrEqual(t, utf8.RuneCountInString(row.Description), bot.MaxRowDesc, row.Description)
		}
	}
}

func newChat(t *testing.T, shop *fakeShop, media fakeMedia, voice bot.Transcriber) *chat {
	raw, _ := json.Marshal(bot.Session{WaID: "923001234567", State: bot.StateIdle})
	return &chat{t: t, b: &bot.Bot{Shop: shop, Media: media, Voice: voice}, raw: raw}
}

func TestOnboardingFromHiToLiveStore(t *testing.T) {
	shop := newShop()
	c := newChat(t, shop, fakeMedia{"img1": "image/jpeg"}, nil)

	out := c.send(bot.Input{Kind: bot.KindText, Text: "Hi", Profile: "Ayesha"})
	require.Equal(t, bot.StateAskName, c.s.State)
	require.Contains(t, out[0].Text, "Ayesha")
	require.Contains(t, out[0].Text, "shop's name")

	out = c.send(text("  Ayesha   Fabrics "))
	require.Equal(t, bot.StateAskCity, c.s.State)
	require.Equal(t, "Ayesha Fabrics", c.s.Ctx.Name)
	require.NotNil(t, out[0].List)
	require.Len(t, out[0].List.Rows, 10)

	out = c.send(tap("city:lahore"))
	require.Equal(t, bot.StateAskCategory, c.s.State)
	require.Equal(t, "Punjab", c.s.Ctx.Region)
	require.NotNil(t, out[0].List)

	out = c.send(tap("cat:clothing"))
	require.Equal(t, bot.StateFirstProduct, c.s.State)
	require.Equal(t, []bot.NewStore{{Name: "Ayesha Fabrics", City: "Lahore", Region: "Punjab", Category: "Clothing"}}, shop.opened)
	require.Contains(t, out[0].Text, "https://snapify.pk/ayesha-fabrics")
	require.Equal(t, "ayesha-fabrics", c.s.Ctx.Store)

	// Text instead of a photo: asked again, nothing created.
	out = c.send(text("what now"))
	require.Contains(t, out[0].Text, "photo")
	require.Empty(t, shop.added)

	out = c.send(photo("img1", "Lawn suit 2500"))
	require.Equal(t, bot.StateLive, c.s.State)
	require.Len(t, shop.added, 1)
	require.Equal(t, bot.NewProduct{Title: "Lawn suit", PricePaisa: 250000, Image: []byte("bytes of img1"), MIME: "image/jpeg"}, shop.added[0])
	require.Contains(t, out[0].Text, "live")
	require.Contains(t, out[0].Text, "Rs 2,500")
	require.Len(t, out[1].Buttons, 3)
}

func TestPhotoWithoutPriceWaitsForIt(t *testing.T) {
	shop := newShop()
	shop.stores["923001234567"] = &bot.StoreInfo{Slug: "ali", Name: "Ali", URL: "https://snapify.pk/ali", Products: 3}
	c := newChat(t, shop, fakeMedia{"img2": "image/png", "img3": "image/jpeg"}, nil)

	c.send(text("hi"))
	require.Equal(t, bot.StateLive, c.s.State)

	out := c.send(photo("img2", ""))
	require.Equal(t, bot.StateProductDetails, c.s.State)
	require.Contains(t, out[0].Text, "called")
	out = c.send(text("Silk dupatta"))
	require.Contains(t, out[0].Text, "price of *Silk dupatta*")
	require.Empty(t, shop.added)
	out = c.send(text("Rs 1,200"))
	require.Equal(t, bot.StateLive, c.s.State)
	require.Equal(t, "Silk dupatta", shop.added[0].Title)
	require.Equal(t, int64(120000), shop.added[0].PricePaisa)
	require.Contains(t, out[0].Text, "Added")

	// A photo that cannot be downloaded is asked for again; nothing is created.
	c.send(photo("gone", "Shawl"))
	require.Equal(t, bot.StateProductDetails, c.s.State)
	out = c.send(text("900"))
	require.Contains(t, out[0].Text, "could not download")
	require.Equal(t, bot.StateLive, c.s.State)
	require.Len(t, shop.added, 1)

	// cancel drops a waiting photo.
	c.send(photo("img3", "Kurta"))
	out = c.send(text("cancel"))
	require.Equal(t, bot.StateLive, c.s.State)
	require.Empty(t, c.s.Ctx.PhotoID)
	require.Contains(t, out[0].Text, "dropped")
}

func TestCommands(t *testing.T) {
	shop := newShop()
	shop.stores["923001234567"] = &bot.StoreInfo{Slug: "ali", Name: "Ali", URL: "https://snapify.pk/ali", Products: 1}
	shop.products["lawn suit"] = &bot.ProductInfo{Title: "Lawn suit", PricePaisa: 250000}
	shop.orders = []bot.OrderInfo{{Number: "SN-1001", Status: "pending", BuyerName: "Sana", TotalPaisa: 270000, Next: []string{"confirmed", "cancelled"}}}
	c := newChat(t, shop, nil, nil)
	c.s = bot.Session{WaID: "923001234567", State: bot.StateLive, Ctx: bot.Context{Store: "ali"}}
	c.raw, _ = json.Marshal(c.s)

	out := c.send(text("price lawn suit 2800"))
	require.Contains(t, out[0].Text, "Rs 2,800")
	require.Equal(t, int64(280000), shop.products["lawn suit"].PricePaisa)

	out = c.send(text("qeemat Lawn Suit Rs 3,000"))
	require.Contains(t, out[0].Text, "Rs 3,000")

	out = c.send(text("stock lawn suit 5"))
	require.Contains(t, out[0].Text, "now 5")
	out = c.send(text("stock lawn suit 0"))
	require.Contains(t, out[0].Text, "out of stock")
	out = c.send(text("stock lawn suit off"))
	require.Contains(t, out[0].Text, "no longer counted")

	out = c.send(text("price shawl 100"))
	require.Contains(t, out[0].Text, "No product matches")
	out = c.send(text("price 100"))
	require.Contains(t, out[0].Text, "price lawn suit 2800")

	out = c.send(text("orders"))
	require.NotNil(t, out[0].List)
	require.Equal(t, "order:SN-1001", out[0].List.Rows[0].ID)
	out = c.send(tap("order:SN-1001"))
	require.Equal(t, []bot.Button{{ID: "status:SN-1001:confirmed", Title: "Confirm"}, {ID: "status:SN-1001:cancelled", Title: "Cancel order"}}, out[0].Buttons)
	out = c.send(tap("status:SN-1001:confirmed"))
	require.Contains(t, out[0].Text, "now *confirmed*")
	out = c.send(text("order sn-1001 shipped"))
	require.Equal(t, []string{"SN-1001→confirmed", "SN-1001→shipped"}, shop.statuses)

	for _, w := range []string{"help", "Madad", "مدد"} {
		out = c.send(text(w))
		require.Contains(t, out[0].Text, "price")
		require.Len(t, out[0].Buttons, 3)
	}
	out = c.send(text("link"))
	require.Contains(t, out[0].Text, "https://snapify.pk/ali")
	out = c.send(text("blah blah"))
	require.Contains(t, out[0].Text, "did not understand")
}

func TestVoiceNotes(t *testing.T) {
	shop := newShop()
	shop.stores["923001234567"] = &bot.StoreInfo{Slug: "ali", Name: "Ali", URL: "https://snapify.pk/ali", Products: 1}
	shop.products["lawn suit"] = &bot.ProductInfo{Title: "Lawn suit", PricePaisa: 250000}
	media := fakeMedia{"aud1": "audio/ogg; codecs=opus"}
	voice := bot.Input{Kind: bot.KindAudio, MediaID: "aud1", MIME: "audio/ogg; codecs=opus"}

	// Without speech-to-text the seller is asked to type; nothing else happens.
	c := newChat(t, shop, media, nil)
	c.raw, _ = json.Marshal(bot.Session{WaID: "923001234567", State: bot.StateLive, Ctx: bot.Context{Store: "ali"}})
	out := c.send(voice)
	require.Contains(t, out[0].Text, "type")
	require.Contains(t, out[0].Text, "speech recognition")
	c = newChat(t, shop, media, fakeVoice(nil)) // configured type, but the provider has no key
	c.raw, _ = json.Marshal(bot.Session{WaID: "923001234567", State: bot.StateLive, Ctx: bot.Context{Store: "ali"}})
	out = c.send(voice)
	require.Contains(t, out[0].Text, "speech recognition")

	// With it, the transcript is a command like any typed one.
	c = newChat(t, shop, media, fakeVoice{"bytes of aud1": " price lawn suit 2900 "})
	c.raw, _ = json.Marshal(bot.Session{WaID: "923001234567", State: bot.StateLive, Ctx: bot.Context{Store: "ali"}})
	out = c.send(voice)
	require.Len(t, out, 2)
	require.Contains(t, out[0].Text, "price lawn suit 2900")
	require.Equal(t, int64(290000), shop.products["lawn suit"].PricePaisa)

	// A file the service cannot read is asked for again, not retried.
	c = newChat(t, shop, fakeMedia{"broken": "audio/ogg"}, fakeVoice{})
	c.raw, _ = json.Marshal(bot.Session{WaID: "923001234567", State: bot.StateLive, Ctx: bot.Context{Store: "ali"}})
	out = c.send(bot.Input{Kind: bot.KindAudio, MediaID: "broken"})
	require.Contains(t, out[0].Text, "could not listen")

	// And an onboarding answer.
	c = newChat(t, newShop(), media, fakeVoice{"bytes of aud1": "Sana Boutique"})
	c.send(text("salam"))
	c.send(voice)
	require.Equal(t, "Sana Boutique", c.s.Ctx.Name)
	require.Equal(t, bot.StateAskCity, c.s.State)
}

func TestFailuresLeaveTheSessionToTheCaller(t *testing.T) {
	b := &bot.Bot{Shop: failingShop{}, Media: fakeMedia{}}
	s := bot.Session{WaID: "923001234567", State: bot.StateIdle}
	_, err := b.Handle(context.Background(), &s, text("hi"))
	require.ErrorIs(t, err, errDown)
}

var errDown = errors.New("database down")

type failingShop struct{ bot.Shop }

func (failingShop) StoreOf(context.Context, string) (*bot.StoreInfo, error) { return nil, errDown }

func TestParseCaption(t *testing.T) {
	for _, tc := range []struct {
		in    string
		title string
		paisa int64
		ok    bool
	}{
		{"Lawn suit 2500", "Lawn suit", 250000, true},
		{"Lawn suit - Rs 2,500", "Lawn suit", 250000, true},
		{"Lawn suit Rs.2500", "Lawn suit", 250000, true},
		{"Lawn suit 2500/-", "Lawn suit", 250000, true},
		{"Lawn suit 2500 rs", "Lawn suit", 250000, true},
		{"Lawn suit price 2500", "Lawn suit", 250000, true},
		{"لان سوٹ ۲۵۰۰ روپے", "لان سوٹ", 250000, true},
		{"Chiffon dupatta", "Chiffon dupatta", 0, false},
		{"", "", 0, false},
		{"1500", "", 150000, true},
	} {
		title, paisa, ok := bot.ParseCaption(tc.in)
		require.Equal(t, tc.title, title, tc.in)
		require.Equal(t, tc.paisa, paisa, tc.in)
		require.Equal(t, tc.ok, ok, tc.in)
	}
}

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bot.Command
	}{
		{"price lawn suit 2800", bot.Command{Name: bot.CmdPrice, Product: "lawn suit", Amount: 280000}},
		{"Qeemat lawn suit Rs 2,800", bot.Command{Name: bot.CmdPrice, Product: "lawn suit", Amount: 280000}},
		{"قیمت لان سوٹ ۲۸۰۰", bot.Command{Name: bot.CmdPrice, Product: "لان سوٹ", Amount: 280000}},
		{"stock lawn suit 5", bot.Command{Name: bot.CmdStock, Product: "lawn suit", Count: 5}},
		{"stock lawn suit off", bot.Command{Name: bot.CmdStock, Product: "lawn suit", Count: -1}},
		{"Orders", bot.Command{Name: bot.CmdOrders}},
		{"order SN-1001", bot.Command{Name: bot.CmdOrder, Order: "SN-1001"}},
		{"order sn-1001 shipped", bot.Command{Name: bot.CmdOrder, Order: "SN-1001", Status: "shipped"}},
		{"SN-1001 cancel", bot.Command{Name: bot.CmdOrder, Order: "SN-1001", Status: "cancelled"}},
		{"link!", bot.Command{Name: bot.CmdLink}},
		{"madad", bot.Command{Name: bot.CmdHelp}},
		{"Assalam o alaikum", bot.Command{Name: bot.CmdHello}},
		{"nothing here", bot.Command{}},
	} {
		require.Equal(t, tc.want, bot.ParseCommand(tc.in), tc.in)
	}
	for _, in := range []string{"price lawn suit", "stock 5", "order SN-1001 flying", "order x"} {
		c := bot.ParseCommand(in)
		require.Equal(t, bot.CmdUsage, c.Name, in)
		require.NotEmpty(t, c.Usage)
	}
}
