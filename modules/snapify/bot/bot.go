// Package bot is Snapify's WhatsApp conversation with sellers: the WhatsAppSession state
// machine that takes a seller from "hi" to a live store with a first product, and the seller
// commands once the store is live (add a product from a photo, change price or stock, list and
// update orders, get the store link, get help). It is pure logic: the store, the media download
// and speech-to-text are interfaces the module implements (modules/snapify/wa_*.go), so every
// step is tested here without a database or a network.
//
// Handle takes one inbound message and the session as last saved, changes the session and
// returns the replies. The caller saves the session, the handled message id and the replies in
// one transaction, so a message delivered twice is answered once.
package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alorig/alorig/shared/money"
)

// State is where a conversation is. The onboarding runs Idle → AskName → AskCity →
// AskCategory → FirstProduct (→ ProductDetails when the photo lacks a name or price) → Live.
type State string

const (
	StateIdle           State = "idle"            // no conversation yet (the table's default)
	StateAskName        State = "ask_name"        // waiting for the shop's name
	StateAskCity        State = "ask_city"        // waiting for the city (list or typed)
	StateAskCategory    State = "ask_category"    // waiting for the category (list or typed)
	StateFirstProduct   State = "first_product"   // store open, waiting for the first product photo
	StateProductDetails State = "product_details" // a photo waits for its name and price
	StateLive           State = "live"            // commands
)

// Context is what a conversation remembers between messages (stored as JSON).
type Context struct {
	Name     string `json:"name,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Category string `json:"category,omitempty"`
	Store    string `json:"store,omitempty"`    // the slug of the seller's store once it is open
	PhotoID  string `json:"photo_id,omitempty"` // a photo's media id waiting for name and price
	Title    string `json:"title,omitempty"`    // the name given with that photo, if any
	Back     State  `json:"back,omitempty"`     // the state to return to once that photo is settled
}

// Session is one seller's conversation, keyed by WhatsApp id (E.164 digits).
type Session struct {
	WaID  string
	State State
	Ctx   Context
}

// Input kinds.
const (
	KindText   = "text"
	KindChoice = "choice" // a tapped reply button or list row
	KindImage  = "image"
	KindAudio  = "audio"
	KindOther  = "other"
)

// Input is one inbound message, reduced to what the bot reads.
type Input struct {
	Kind    string
	Text    string // text body, image caption, or the tapped choice's title
	Choice  string // the tapped button's or list row's id
	MediaID string // image or audio
	MIME    string
	Profile string // the sender's WhatsApp profile name
}

// Reply is one outgoing message: text, with at most three buttons or a list of at most ten
// rows (the Cloud API's limits; the whatsapp client checks them again before sending).
type Reply struct {
	Text    string   `json:"text"`
	Buttons []Button `json:"buttons,omitempty"`
	List    *List    `json:"list,omitempty"`
}

// Button is a quick-reply button.
type Button struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// List is an interactive list: Button opens it.
type List struct {
	Button string `json:"button"`
	Rows   []Row  `json:"rows"`
}

// Row is one list row.
type Row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// Limits the bot keeps to (Meta's, as the whatsapp package enforces them).
const (
	MaxButtons     = 3
	MaxRows        = 10
	MaxButtonTitle = 20
	MaxRowTitle    = 24
	MaxRowDesc     = 72
	MaxImageBytes  = 8 << 20  // the seller API's upload limit (media.DefaultLimits)
	MaxAudioBytes  = 16 << 20 // WhatsApp's own limit for audio
)

// StoreInfo is a seller's store as the bot shows it.
type StoreInfo struct {
	Slug     string
	Name     string
	URL      string
	Products int
}

// NewStore is what the onboarding collected.
type NewStore struct {
	Name, City, Region, Category string
}

// NewProduct is a product from a photo.
type NewProduct struct {
	Title      string
	PricePaisa int64
	Image      []byte
	MIME       string
}

// ProductInfo is a product as the bot shows it.
type ProductInfo struct {
	Title      string
	Slug       string
	URL        string
	PricePaisa int64
	Stock      *int // nil: stock is not counted
	StoreURL   string
	First      bool // the store's first product: the store just went live
}

// OrderInfo is an order as the bot shows it.
type OrderInfo struct {
	Number     string
	Status     string
	BuyerName  string
	BuyerPhone string
	City       string
	Address    string
	Items      string // "2 × Lawn suit, 1 × Dupatta"
	TotalPaisa int64
	Next       []string // statuses it may move to
}

// Shop is the store side: the module implements it with the same services the seller API
// uses, always resolving the store from the seller's own number (waID), never from an id in
// the message. Refusals a seller can act on are *UserError; other errors are failures and the
// message is handled again later.
type Shop interface {
	StoreOf(ctx context.Context, waID string) (*StoreInfo, error)
	OpenStore(ctx context.Context, waID string, s NewStore) (*StoreInfo, error)
	AddProduct(ctx context.Context, waID, store string, p NewProduct) (*ProductInfo, error)
	SetPrice(ctx context.Context, waID, store, product string, paisa int64) (*ProductInfo, error)
	SetStock(ctx context.Context, waID, store, product string, n int) (*ProductInfo, error)
	RecentOrders(ctx context.Context, waID, store string, n int) ([]OrderInfo, error)
	Order(ctx context.Context, waID, store, number string) (*OrderInfo, error)
	SetOrderStatus(ctx context.Context, waID, store, number, status string) (*OrderInfo, error)
}

// Media downloads a file the seller sent (the Cloud API's two steps: look up, then fetch).
// A file that cannot be had (expired, too large, damaged) is ErrMediaUnavailable.
type Media interface {
	Download(ctx context.Context, mediaID string, maxBytes int64) (data []byte, mime string, err error)
}

// Transcriber turns a voice note into text. ErrNoTranscriber means speech-to-text is not
// configured here.
type Transcriber interface {
	Transcribe(ctx context.Context, audio []byte, filename, mime string) (string, error)
}

var (
	// ErrNoTranscriber: voice notes cannot be understood on this server.
	ErrNoTranscriber = errors.New("bot: speech-to-text is not configured")
	// ErrMediaUnavailable: the photo or voice note could not be downloaded or read.
	ErrMediaUnavailable = errors.New("bot: media unavailable")
)

// UserError is a refusal to tell the seller as it is ("No product matches …").
type UserError struct{ Msg string }

func (e *UserError) Error() string { return e.Msg }

// Bot answers messages. Voice may be nil: voice notes are then answered with a request to type.
type Bot struct {
	Shop  Shop
	Media Media
	Voice Transcriber
}

// Handle runs one message through the state machine. s is changed in place; on an error the
// caller must not save it (the message is handled again later).
func (b *Bot) Handle(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	var heard []Reply
	if in.Kind == KindAudio {
		text, refusal, err := b.transcribe(ctx, in)
		if err != nil || refusal != nil {
			return refusal, err
		}
		heard = []Reply{{Text: "🎙️ I heard: “" + text + "”"}}
		in = Input{Kind: KindText, Text: text, Profile: in.Profile}
	}
	out, err := b.step(ctx, s, in)
	if err != nil {
		var ue *UserError
		if !errors.As(err, &ue) {
			return nil, err
		}
		out = []Reply{{Text: ue.Msg}}
	}
	return append(heard, out...), nil
}

func (b *Bot) transcribe(ctx context.Context, in Input) (string, []Reply, error) {
	if b.Voice == nil {
		return "", []Reply{{Text: voiceOff}}, nil
	}
	data, mime, err := b.Media.Download(ctx, in.MediaID, MaxAudioBytes)
	if errors.Is(err, ErrMediaUnavailable) {
		return "", []Reply{{Text: "I could not download that voice note. Please send it again, or type your message."}}, nil
	}
	if err != nil {
		return "", nil, err
	}
	if mime == "" {
		mime = in.MIME
	}
	text, err := b.Voice.Transcribe(ctx, data, "voice"+audioExt(mime), mime)
	if errors.Is(err, ErrNoTranscriber) {
		return "", []Reply{{Text: voiceOff}}, nil
	}
	if errors.Is(err, ErrMediaUnavailable) {
		return "", []Reply{{Text: "I could not listen to that voice note. Please record it again, or type your message."}}, nil
	}
	if err != nil {
		return "", nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", []Reply{{Text: "I could not make out any words in that voice note. Please try again, or type your message."}}, nil
	}
	return text, nil, nil
}

const voiceOff = "Voice notes need speech recognition, which is not set up on this Snapify server yet. Please type your message instead. 🙏"

func audioExt(mime string) string {
	mime, _, _ = strings.Cut(mime, ";")
	switch strings.TrimSpace(mime) {
	case "audio/mpeg":
		return ".mp3"
	case "audio/mp4", "audio/aac":
		return ".m4a"
	case "audio/amr":
		return ".amr"
	case "audio/wav", "audio/x-wav":
		return ".wav"
	}
	return ".ogg" // WhatsApp voice notes are audio/ogg; codecs=opus
}

func (b *Bot) step(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	word := keyword(in.Text)
	if in.Kind == KindText && isHelp(word) && s.State != StateLive && s.State != StateIdle {
		return []Reply{{Text: stepHelp(s.State)}}, nil
	}
	switch s.State {
	case StateAskName:
		return b.askName(s, in)
	case StateAskCity:
		return b.askCity(s, in)
	case StateAskCategory:
		return b.askCategory(ctx, s, in)
	case StateFirstProduct:
		if in.Kind == KindImage {
			return b.photo(ctx, s, in)
		}
		return []Reply{{Text: firstProductAsk}}, nil
	case StateProductDetails:
		return b.productDetails(ctx, s, in)
	case StateLive:
		return b.live(ctx, s, in)
	}
	return b.start(ctx, s, in)
}

// start is a seller's first message (or the first after the session was reset). A seller who
// already has a store (opened in the seller app) goes straight to the commands.
func (b *Bot) start(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	st, err := b.Shop.StoreOf(ctx, s.WaID)
	if err != nil {
		return nil, err
	}
	if st != nil {
		s.State, s.Ctx = StateLive, Context{Store: st.Slug}
		if in.Kind == KindImage || (in.Kind != KindOther && !isGreeting(keyword(in.Text))) {
			return b.live(ctx, s, in)
		}
		return []Reply{menu(fmt.Sprintf("Welcome back to %s! 👋\n%s", st.Name, st.URL))}, nil
	}
	s.State, s.Ctx = StateAskName, Context{}
	hello := "Assalam-o-alaikum"
	if p := oneLine(in.Profile); p != "" {
		hello += " " + p
	}
	return []Reply{{Text: hello + "! 👋 Let's open your free Snapify store, right here in WhatsApp.\n\n" +
		"What is your shop's name?"}}, nil
}

func (b *Bot) askName(s *Session, in Input) ([]Reply, error) {
	name := oneLine(in.Text)
	if in.Kind != KindText || isGreeting(keyword(name)) {
		return []Reply{{Text: "What is your shop's name? Type it, e.g. *Ayesha Fabrics*."}}, nil
	}
	if n := utf8.RuneCountInString(name); n < 2 || n > 60 {
		return []Reply{{Text: "A shop name is 2 to 60 characters. What is your shop's name?"}}, nil
	}
	s.Ctx.Name = name
	s.State = StateAskCity
	return []Reply{cityList("Nice name! 🙌 Which city is *" + name + "* in?")}, nil
}

func (b *Bot) askCity(s *Session, in Input) ([]Reply, error) {
	var city, region string
	switch {
	case in.Kind == KindChoice && in.Choice == "city:other":
		return []Reply{{Text: "Type your city's name."}}, nil
	case in.Kind == KindChoice && strings.HasPrefix(in.Choice, "city:"):
		c, ok := cityByID(strings.TrimPrefix(in.Choice, "city:"))
		if !ok {
			return []Reply{cityList("Please pick your city from the list, or type it.")}, nil
		}
		city, region = c.Name, c.Region
	case in.Kind == KindText:
		t := oneLine(in.Text)
		if c, ok := cityByName(t); ok {
			city, region = c.Name, c.Region
		} else if n := utf8.RuneCountInString(t); n >= 2 && n <= 60 {
			city = t
		} else {
			return []Reply{{Text: "A city name is 2 to 60 characters. Which city is your shop in?"}}, nil
		}
	default:
		return []Reply{cityList("Which city is your shop in? Pick it from the list, or type it.")}, nil
	}
	s.Ctx.City, s.Ctx.Region = city, region
	s.State = StateAskCategory
	return []Reply{categoryList("What do you sell?")}, nil
}

func (b *Bot) askCategory(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	var cat string
	switch {
	case in.Kind == KindChoice && strings.HasPrefix(in.Choice, "cat:"):
		c, ok := categoryByID(strings.TrimPrefix(in.Choice, "cat:"))
		if !ok {
			return []Reply{categoryList("Please pick what you sell from the list.")}, nil
		}
		cat = c
	case in.Kind == KindText:
		t := oneLine(in.Text)
		if c, ok := categoryByName(t); ok {
			cat = c
		} else if n := utf8.RuneCountInString(t); n >= 2 && n <= 40 {
			cat = t
		} else {
			return []Reply{categoryList("Please pick what you sell from the list, or type it in a few words.")}, nil
		}
	default:
		return []Reply{categoryList("What do you sell? Pick it from the list.")}, nil
	}
	s.Ctx.Category = cat
	st, err := b.Shop.OpenStore(ctx, s.WaID, NewStore{Name: s.Ctx.Name, City: s.Ctx.City, Region: s.Ctx.Region, Category: cat})
	if err != nil {
		return nil, err
	}
	s.Ctx.Store = st.Slug
	s.State = StateFirstProduct
	return []Reply{{Text: fmt.Sprintf("✅ Your store *%s* is ready: %s\n\n%s", st.Name, st.URL, firstProductAsk)}}, nil
}

const firstProductAsk = "Now send a *photo* of your first product, with its name and price as the caption — e.g. *Lawn suit 2500*."

// photo handles a product photo: with a name and price in the caption the product is created
// at once, otherwise the photo waits for them.
func (b *Bot) photo(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	title, price, hasPrice := ParseCaption(in.Text)
	if title == "" || !hasPrice {
		if s.State != StateProductDetails {
			s.Ctx.Back = s.State
		}
		s.Ctx.PhotoID, s.Ctx.Title = in.MediaID, title
		s.State = StateProductDetails
		if title != "" {
			return []Reply{{Text: "Got the photo of *" + title + "* 👍 What is its price? e.g. *2500*"}}, nil
		}
		return []Reply{{Text: "Got the photo 👍 What is this product called, and what is its price? e.g. *Lawn suit 2500*"}}, nil
	}
	return b.createProduct(ctx, s, in.MediaID, title, price)
}

func (b *Bot) productDetails(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	if in.Kind == KindImage {
		return b.photo(ctx, s, in)
	}
	if in.Kind != KindText {
		return []Reply{{Text: "Type the product's name and price, e.g. *Lawn suit 2500*."}}, nil
	}
	if w := keyword(in.Text); w == "cancel" || w == "skip" || w == "chhoro" {
		settle(s)
		if s.State == StateFirstProduct {
			return []Reply{{Text: "OK, I dropped that photo. " + firstProductAsk}}, nil
		}
		return []Reply{{Text: "OK, I dropped that photo."}}, nil
	}
	title, price, hasPrice := ParseCaption(in.Text)
	if title == "" && s.Ctx.Title != "" {
		title = s.Ctx.Title
	}
	if !hasPrice {
		if title != "" {
			s.Ctx.Title = title
			return []Reply{{Text: "What is the price of *" + title + "*? e.g. *2500*"}}, nil
		}
		return []Reply{{Text: "Type the product's name and price, e.g. *Lawn suit 2500*."}}, nil
	}
	if title == "" {
		return []Reply{{Text: "What is this product called? Type its name and price, e.g. *Lawn suit 2500*."}}, nil
	}
	return b.createProduct(ctx, s, s.Ctx.PhotoID, title, price)
}

// settle forgets a pending photo and returns to the state the photo interrupted.
func settle(s *Session) {
	back := s.Ctx.Back
	if back == "" {
		back = StateLive
	}
	s.Ctx.PhotoID, s.Ctx.Title, s.Ctx.Back = "", "", ""
	s.State = back
}

func (b *Bot) createProduct(ctx context.Context, s *Session, mediaID, title string, price int64) ([]Reply, error) {
	data, mime, err := b.Media.Download(ctx, mediaID, MaxImageBytes)
	if errors.Is(err, ErrMediaUnavailable) {
		if s.State == StateProductDetails {
			settle(s)
		}
		return []Reply{{Text: "I could not download that photo. Please send it again with its name and price."}}, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := b.Shop.AddProduct(ctx, s.WaID, s.Ctx.Store, NewProduct{Title: title, PricePaisa: price, Image: data, MIME: mime})
	if err != nil {
		return nil, err
	}
	s.Ctx.PhotoID, s.Ctx.Title, s.Ctx.Back = "", "", ""
	s.State = StateLive
	if p.First {
		return []Reply{{Text: fmt.Sprintf("🎉 Your store is live!\n%s\n\nFirst product: *%s* — %s\n%s", p.StoreURL, p.Title,
			money.FormatPKR(p.PricePaisa), p.URL)}, menu("Share your link with buyers. Orders will reach you here. What next?")}, nil
	}
	return []Reply{{Text: fmt.Sprintf("✅ Added *%s* — %s\n%s", p.Title, money.FormatPKR(p.PricePaisa), p.URL)}}, nil
}

// live runs the seller commands.
func (b *Bot) live(ctx context.Context, s *Session, in Input) ([]Reply, error) {
	switch in.Kind {
	case KindImage:
		return b.photo(ctx, s, in)
	case KindChoice:
		return b.choice(ctx, s, in.Choice)
	case KindText:
	default:
		return []Reply{{Text: "I can read text, photos and voice notes. " + helpHint}}, nil
	}
	cmd := ParseCommand(in.Text)
	switch cmd.Name {
	case CmdHelp:
		return []Reply{menu(helpText)}, nil
	case CmdHello:
		return []Reply{menu("Assalam-o-alaikum! 👋 What would you like to do?")}, nil
	case CmdLink:
		return b.link(ctx, s)
	case CmdOrders:
		return b.orders(ctx, s)
	case CmdOrder:
		if cmd.Status != "" {
			return b.setStatus(ctx, s, cmd.Order, cmd.Status)
		}
		return b.order(ctx, s, cmd.Order)
	case CmdPrice:
		p, err := b.Shop.SetPrice(ctx, s.WaID, s.Ctx.Store, cmd.Product, cmd.Amount)
		if err != nil {
			return nil, err
		}
		return []Reply{{Text: fmt.Sprintf("✅ *%s* now costs %s\n%s", p.Title, money.FormatPKR(p.PricePaisa), p.URL)}}, nil
	case CmdStock:
		p, err := b.Shop.SetStock(ctx, s.WaID, s.Ctx.Store, cmd.Product, cmd.Count)
		if err != nil {
			return nil, err
		}
		if p.Stock == nil {
			return []Reply{{Text: fmt.Sprintf("✅ Stock of *%s* is no longer counted.", p.Title)}}, nil
		}
		if *p.Stock == 0 {
			return []Reply{{Text: fmt.Sprintf("✅ *%s* is now out of stock: buyers cannot order it.", p.Title)}}, nil
		}
		return []Reply{{Text: fmt.Sprintf("✅ Stock of *%s* is now %d.", p.Title, *p.Stock)}}, nil
	case CmdUsage:
		return []Reply{{Text: cmd.Usage}}, nil
	}
	return []Reply{{Text: "Sorry, I did not understand that. " + helpHint}}, nil
}

func (b *Bot) choice(ctx context.Context, s *Session, id string) ([]Reply, error) {
	switch {
	case id == "menu:add":
		return []Reply{{Text: "Send a *photo* of the product with its name and price as the caption — e.g. *Lawn suit 2500*."}}, nil
	case id == "menu:orders":
		return b.orders(ctx, s)
	case id == "menu:link":
		return b.link(ctx, s)
	case id == "menu:help":
		return []Reply{{Text: helpText}}, nil
	case strings.HasPrefix(id, "order:"):
		return b.order(ctx, s, strings.TrimPrefix(id, "order:"))
	case strings.HasPrefix(id, "status:"):
		number, status, ok := strings.Cut(strings.TrimPrefix(id, "status:"), ":")
		if ok {
			return b.setStatus(ctx, s, number, status)
		}
	}
	return []Reply{menu("That button is from an older message. What would you like to do?")}, nil
}

func (b *Bot) link(ctx context.Context, s *Session) ([]Reply, error) {
	st, err := b.Shop.StoreOf(ctx, s.WaID)
	if err != nil {
		return nil, err
	}
	if st == nil {
		s.State, s.Ctx = StateIdle, Context{}
		return []Reply{{Text: "You have no Snapify store yet. Say *hi* to open one."}}, nil
	}
	return []Reply{{Text: fmt.Sprintf("Your store *%s* (%d products):\n%s", st.Name, st.Products, st.URL)}}, nil
}

func (b *Bot) orders(ctx context.Context, s *Session) ([]Reply, error) {
	os, err := b.Shop.RecentOrders(ctx, s.WaID, s.Ctx.Store, MaxRows)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return []Reply{{Text: "No orders yet. Share your store link to get your first one — send *link* to get it."}}, nil
	}
	l := &List{Button: "View orders"}
	var b2 strings.Builder
	fmt.Fprintf(&b2, "Your %d most recent orders. Tap one to see it and change its status.", len(os))
	for _, o := range os {
		l.Rows = append(l.Rows, Row{ID: "order:" + o.Number, Title: clip(o.Number+" · "+money.FormatPKR(o.TotalPaisa), MaxRowTitle),
			Description: clip(o.BuyerName+" · "+o.Status, MaxRowDesc)})
	}
	return []Reply{{Text: b2.String(), List: l}}, nil
}

func (b *Bot) order(ctx context.Context, s *Session, number string) ([]Reply, error) {
	o, err := b.Shop.Order(ctx, s.WaID, s.Ctx.Store, number)
	if err != nil {
		return nil, err
	}
	return []Reply{orderCard(o, "")}, nil
}

func (b *Bot) setStatus(ctx context.Context, s *Session, number, status string) ([]Reply, error) {
	o, err := b.Shop.SetOrderStatus(ctx, s.WaID, s.Ctx.Store, number, status)
	if err != nil {
		return nil, err
	}
	return []Reply{orderCard(o, fmt.Sprintf("✅ Order %s is now *%s*.", o.Number, o.Status))}, nil
}

// orderCard shows an order with a button per status it may move to (at most two today).
func orderCard(o *OrderInfo, head string) Reply {
	var b strings.Builder
	if head != "" {
		b.WriteString(head + "\n\n")
	}
	fmt.Fprintf(&b, "*Order %s* — %s\n%s, %s\n%s", o.Number, o.Status, o.BuyerName, o.BuyerPhone, o.Items)
	fmt.Fprintf(&b, "\nTotal: %s (cash on delivery)", money.FormatPKR(o.TotalPaisa))
	if o.Address != "" {
		fmt.Fprintf(&b, "\nDeliver to: %s", o.Address)
		if o.City != "" {
			fmt.Fprintf(&b, ", %s", o.City)
		}
	}
	r := Reply{Text: clip(b.String(), 1024)}
	for _, n := range o.Next {
		if len(r.Buttons) == MaxButtons {
			break
		}
		r.Buttons = append(r.Buttons, Button{ID: "status:" + o.Number + ":" + n, Title: clip(statusAction(n), MaxButtonTitle)})
	}
	return r
}

func statusAction(s string) string {
	switch s {
	case "confirmed":
		return "Confirm"
	case "shipped":
		return "Mark shipped"
	case "delivered":
		return "Mark delivered"
	case "cancelled":
		return "Cancel order"
	case "returned":
		return "Mark returned"
	}
	return s
}

// menu is text with the three main actions as buttons.
func menu(text string) Reply {
	return Reply{Text: text, Buttons: []Button{{ID: "menu:add", Title: "Add product"}, {ID: "menu:orders", Title: "Orders"},
		{ID: "menu:link", Title: "Store link"}}}
}

const helpHint = "Send *help* (or *madad*) to see what I can do."

// helpText is the command list (docs/snapify.md has the same list).
const helpText = "*Snapify commands*\n" +
	"📷 Photo with caption *Lawn suit 2500* — add a product\n" +
	"*price* lawn suit 2800 — change a price (also *qeemat*)\n" +
	"*stock* lawn suit 5 — set stock; 0 is sold out, *off* stops counting\n" +
	"*orders* — recent orders, tap one to confirm, ship or cancel it\n" +
	"*order* SN-1001 shipped — change an order's status\n" +
	"*link* — your store's address\n" +
	"*help* / *madad* — this list\n" +
	"🎙️ You can also send any of these as a voice note."

func stepHelp(st State) string {
	switch st {
	case StateAskName:
		return "I am opening your Snapify store. First, type your shop's name."
	case StateAskCity:
		return "I am opening your Snapify store. Type your shop's city, or pick it from the list."
	case StateAskCategory:
		return "I am opening your Snapify store. Pick what you sell from the list, or type it."
	case StateProductDetails:
		return "Type the name and price of the photo you sent, e.g. *Lawn suit 2500*, or *cancel* to drop it."
	}
	return firstProductAsk
}

// City is a city the list offers, with the province hub pages group stores by.
type City struct{ ID, Name, Urdu, Region string }

// Cities are the list's nine cities; "Other" asks for the name.
var Cities = []City{
	{"karachi", "Karachi", "کراچی", "Sindh"},
	{"lahore", "Lahore", "لاہور", "Punjab"},
	{"islamabad", "Islamabad", "اسلام آباد", "Islamabad"},
	{"rawalpindi", "Rawalpindi", "راولپنڈی", "Punjab"},
	{"faisalabad", "Faisalabad", "فیصل آباد", "Punjab"},
	{"multan", "Multan", "ملتان", "Punjab"},
	{"peshawar", "Peshawar", "پشاور", "Khyber Pakhtunkhwa"},
	{"quetta", "Quetta", "کوئٹہ", "Balochistan"},
	{"hyderabad", "Hyderabad", "حیدرآباد", "Sindh"},
}

func cityList(text string) Reply {
	l := &List{Button: "Choose city"}
	for _, c := range Cities {
		l.Rows = append(l.Rows, Row{ID: "city:" + c.ID, Title: c.Name, Description: c.Region})
	}
	l.Rows = append(l.Rows, Row{ID: "city:other", Title: "Other city", Description: "Type its name"})
	return Reply{Text: text, List: l}
}

func cityByID(id string) (City, bool) {
	for _, c := range Cities {
		if c.ID == id {
			return c, true
		}
	}
	return City{}, false
}

func cityByName(name string) (City, bool) {
	k := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for _, c := range Cities {
		if k == c.ID || k == strings.ToLower(c.Name) || k == c.Urdu {
			return c, true
		}
	}
	return City{}, false
}

// Categories are the list's rows (id, name); the name is what the store records.
var Categories = [][2]string{
	{"clothing", "Clothing"}, {"shoes", "Shoes"}, {"jewellery", "Jewellery"}, {"beauty", "Beauty"},
	{"home", "Home & Kitchen"}, {"electronics", "Electronics"}, {"food", "Food"}, {"kids", "Kids & Toys"},
	{"handmade", "Handmade"}, {"other", "Other"},
}

func categoryList(text string) Reply {
	l := &List{Button: "Choose category"}
	for _, c := range Categories {
		l.Rows = append(l.Rows, Row{ID: "cat:" + c[0], Title: c[1]})
	}
	return Reply{Text: text, List: l}
}

func categoryByID(id string) (string, bool) {
	for _, c := range Categories {
		if c[0] == id {
			return c[1], true
		}
	}
	return "", false
}

func categoryByName(name string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	for _, c := range Categories {
		if k == c[0] || k == strings.ToLower(c[1]) {
			return c[1], true
		}
	}
	return "", false
}

// clip shortens s to n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
