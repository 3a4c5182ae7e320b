/* SPDX-License-Identifier: MIT */
/*
 * A small freestanding snprintf (%s %c %d %u %x %p, flags - 0 #, width,
 * l/ll/z), enough for the hypervisor's messages and
 * the PASID manager's reason texts.
 */
#include <paddock/fmt.h>
#include <paddock/mem.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* length the full output would have */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static size_t utoa(char *tmp, unsigned long long v, unsigned base)
{
	const char *digits = "0123456789abcdef";
	size_t n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (size_t i = 0; i < n / 2; i++) {
		char t = tmp[i];
		tmp[i] = tmp[n - 1 - i];
		tmp[n - 1 - i] = t;
	}
	return n;
}

static unsigned long long take_unsigned(va_list *ap, int longs)
{
	if (longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long take_signed(va_list *ap, int longs)
{
	if (longs >= 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void format_number(struct out *o, char conv, va_list *ap, int longs,
			  int width, bool left, char pad)
{
	char tmp[24];
	size_t n;

	if (conv == 'd' || conv == 'i') {
		long long v = take_signed(ap, longs);
		unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v
					       : (unsigned long long)v;

		n = utoa(tmp + 1, mag, 10);
		if (v < 0) {
			tmp[0] = '-';
			put_padded(o, tmp, n + 1, width, left, pad);
			return;
		}
		put_padded(o, tmp + 1, n, width, left, pad);
		return;
	}
	if (conv == 'p') {
		put(o, '0');
		put(o, 'x');
		n = utoa(tmp, (uintptr_t)va_arg(*ap, void *), 16);
		put_padded(o, tmp, n, width, left, pad);
		return;
	}
	n = utoa(tmp, take_unsigned(ap, longs), conv == 'u' ? 10 : 16);
	put_padded(o, tmp, n, width, left, pad);
}

int pd_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false, alt = false;
		char pad = ' ';
		int width = 0, longs = 0;

		for (; *fmt == '-' || *fmt == '0' || *fmt == '#'; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alt = true;
			else
				pad = '0';
		}

		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(args, const char *);

			if (!s)
				s = "(null)";
			put_padded(&o, s, pd_strlen(s), width, left, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(args, int));
			break;
		case 'x':
			if (alt) {
				put(&o, '0');
				put(&o, 'x');
			}
			format_number(&o, *fmt, &args, longs, width, left, pad);
			break;
		case 'd':
		case 'i':
		case 'u':
		case 'p':
			format_number(&o, *fmt, &args, longs, width, left, pad);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int pd_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pd_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
