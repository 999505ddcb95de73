#!/usr/bin/perl
# codecheck.pl — checks the compiler cannot make, run by `make test`
# (after Fossil's codecheck1).  Fails the build when:
#   1. a banned libc call appears (banned.h makes them compile errors too;
#      this catches files that forgot to include util.h);
#   2. a printf-like call (html, buf_printf, log_*) has a non-literal format;
#   3. html()'s raw conversion %r gets anything but a string literal or a
#      ?: choice between literals — so request or database data can never
#      reach HTML unescaped;
#   4. a handler writes into r->out with buf_puts/buf_append/buf_printf
#      using %s on something other than a literal (must go through html()
#      or the JSON writer);
#   5. SQL passed to db_prep/db_run/db_run_deferred/db_get_int/db_get_text is not a
#      string literal (values must be bound, never spliced).  A literal may
#      be built from macros of the same file that are themselves literals
#      (#define LIST_FILTERS " AND …"), or be an element of a static const
#      array of the same file whose every element is such a literal;
#   6. a _("…") message has no Vietnamese entry in src/web/i18n_*.def;
#   7. code outside src/store/ calls sqlite3_* or PQ* (the driver API is
#      the only way to the database).
# Usage: perl tools/codecheck.pl FILE.c...
use strict;
use warnings;

my @errors;
my %catalogue;
for my $def (glob("src/web/i18n_*.def")) {
	open(my $fh, '<:raw', $def) or die "$def: $!";
	local $/;
	my $t = <$fh>;
	while ($t =~ /MSG\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*\)/g) {
		$catalogue{$1} = $2;
	}
}

# Split a C argument list (text after the opening parenthesis) into
# top-level arguments, stopping at the matching ')'.
sub split_args {
	my ($s) = @_;
	my @args; my $cur = ''; my $depth = 0; my $i = 0; my $n = length $s;
	while ($i < $n) {
		my $c = substr($s, $i, 1);
		if ($c eq '"' || $c eq "'") {
			my $j = $i + 1;
			while ($j < $n && substr($s, $j, 1) ne $c) { $j += (substr($s, $j, 1) eq '\\') ? 2 : 1; }
			$cur .= substr($s, $i, $j - $i + 1); $i = $j + 1; next;
		}
		if ($c eq '(' || $c eq '[' || $c eq '{') { $depth++; }
		elsif ($c eq ')' || $c eq ']' || $c eq '}') {
			if ($depth == 0) { push @args, $cur; return @args; }
			$depth--;
		} elsif ($c eq ',' && $depth == 0) { push @args, $cur; $cur = ''; $i++; next; }
		$cur .= $c; $i++;
	}
	push @args, $cur;
	return @args;
}

sub trim { my $s = shift; $s =~ s/^\s+|\s+$//gs; return $s; }
sub is_literal { my $a = trim(shift); return $a =~ /^("(?:[^"\\]|\\.)*"\s*)+$/s; }
sub is_literal_choice {
	my $a = trim(shift);
	return 1 if is_literal($a);
	return $a =~ /^[^?]+\?\s*"(?:[^"\\]|\\.)*"\s*:\s*"(?:[^"\\]|\\.)*"$/s;
}
sub literal_text { my $a = trim(shift); my $t = ''; while ($a =~ /"((?:[^"\\]|\\.)*)"/g) { $t .= $1; } return $t; }
# Replace the upper-case identifiers of %$macros (literal macros) by their
# literals; anything else is left as it is (and then is not a literal).
sub expand_macros {
	my ($s, $macros) = @_;
	$s =~ s/("(?:[^"\\]|\\.)*")|\b([A-Z][A-Z0-9_]*)\b/defined $1 ? $1 : exists $macros->{$2} ? $macros->{$2} : $2/ge;
	return $s;
}
sub line_of { my ($text, $pos) = @_; return 1 + (substr($text, 0, $pos) =~ tr/\n//); }

# Conversions in our format language, in order: returns a list of letters.
sub conversions {
	my $f = shift; my @c;
	while ($f =~ /%(0?[1-9]?[0-9]*)(\.\*)?(ll|l|z)?([a-z%])/g) {
		next if $4 eq '%';
		push @c, '*' if defined $2;
		push @c, $4;
	}
	return @c;
}

for my $file (@ARGV) {
	open(my $fh, '<:raw', $file) or die "$file: $!";
	local $/;
	my $text = <$fh>;
	close $fh;
	# blank out comments, keeping line numbers
	$text =~ s{("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(/\*.*?\*/|//[^\n]*)}
		{ defined $1 ? $1 : do { (my $m = $2) =~ s/[^\n]/ /g; $m } }gse;

	while ($text =~ /\b(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|atoi|atol|gmtime|localtime|ctime|asctime|gets)\s*\(/g) {
		my $name = $1;
		next if $file =~ m{src/base/banned\.h$};
		push @errors, "$file:" . line_of($text, pos($text)) . ": banned call $name()";
	}
	if ($file !~ m{(^|/)src/store/}) {
		while ($text =~ /\b(sqlite3_\w+|PQ\w+)\s*\(/g) {
			push @errors, "$file:" . line_of($text, pos($text)) . ": $1() outside src/store/";
		}
	}
	# printf-like calls: (function, index of the format argument)
	my %fmt_index = (html => 1, buf_printf => 1, log_msg => 1, log_info => 0, log_warn => 0, log_error => 0);
	while ($text =~ /\b(html|buf_printf|log_msg|log_info|log_warn|log_error)\s*\(/g) {
		my ($fn, $start) = ($1, pos($text));
		next if substr($text, $start - length($fn) - 1 - 30, 30) =~ /void\s*$/; # the definition
		my @args = split_args(substr($text, $start));
		my $fi = $fmt_index{$fn};
		next if @args <= $fi;
		my $fmt = $args[$fi];
		next if trim($fmt) eq 'const char *fmt' || trim($fmt) =~ /^(LogLevel l|const char \*fmt)$/;
		if (!is_literal($fmt)) {
			next if $fn eq 'log_msg' && trim($fmt) eq 'fmt';
			push @errors, "$file:" . line_of($text, $start) . ": $fn() needs a literal format";
			next;
		}
		# our formatter takes a precision only as ".*" (an argument)
		if (literal_text($fmt) =~ /%[0-9]*\.[0-9]/) {
			push @errors, "$file:" . line_of($text, $start) . ": $fn() format has a numeric precision, which our formatter does not read (use %.*s with an argument)";
		}
		# %u is a URL component (a string): a width means a number was meant
		if (literal_text($fmt) =~ /%0?[1-9][0-9]*u/) {
			push @errors, "$file:" . line_of($text, $start) . ": $fn() format has a width on %u, which takes a string (use %d or %lld)";
		}
		my @conv = conversions(literal_text($fmt));
		my $ai = $fi + 1;
		for my $c (@conv) {
			my $arg = $args[$ai++] // '';
			if ($fn eq 'html' && $c eq 'r' && !is_literal_choice($arg)) {
				push @errors, "$file:" . line_of($text, $start) . ": html() %r with non-literal argument '" . trim($arg) . "'";
			}
			if ($fn eq 'buf_printf' && $c eq 's' && trim($args[0]) eq '&r->out' && !is_literal_choice($arg)) {
				push @errors, "$file:" . line_of($text, $start) . ": raw %s into r->out; use html() or the JSON writer";
			}
		}
	}
	# (handlers only: web/ itself moves already-rendered bytes, e.g. the page cache)
	while ($file =~ m{(^|/)src/(ui|api)/} && $text =~ /\b(buf_puts|buf_append)\s*\(\s*&r->out\s*,/g) {
		my $start = pos($text);
		my @args = split_args(substr($text, $start));
		if (!is_literal($args[0])) {
			push @errors, "$file:" . line_of($text, $start) . ": raw write into r->out; use html() or the JSON writer";
		}
	}
	# SQL must be literal: string literals, macros of this file that expand
	# to literals, or an element of a static const array of such literals
	my %lit_macro;
	for (my $changed = 1; $changed;) {
		$changed = 0;
		while ($text =~ /^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+((?:[^\n]*\\\n)*[^\n]*)/mg) {
			my ($name, $body) = ($1, $2);
			next if exists $lit_macro{$name};
			$body =~ s/\\\n/ /g;
			my $exp = expand_macros($body, \%lit_macro);
			if (is_literal($exp)) { $lit_macro{$name} = $exp; $changed = 1; }
		}
	}
	my %lit_array;
	while ($text =~ /static\s+const\s+char\s*\*\s*const\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{/g) {
		my ($name, $start) = ($1, pos($text));
		my @elems = split_args(substr($text, $start));
		pop @elems if @elems && trim($elems[-1]) eq '';
		my $ok = @elems > 0;
		for my $e (@elems) {
			(my $v = $e) =~ s/^\s*\[[^\]]*\]\s*=//;   # designated initialisers
			$ok = 0 unless is_literal(expand_macros($v, \%lit_macro));
		}
		$lit_array{$name} = 1 if $ok;
	}
	my %sql_index = (db_prep => 2, db_run => 1, db_get_int => 2, db_get_text => 2, db_run_deferred => 1);
	while ($text =~ /\b(db_prep|db_run_deferred|db_run|db_get_int|db_get_text)\s*\(/g) {
		my ($fn, $start) = ($1, pos($text));
		my @args = split_args(substr($text, $start));
		my $sql = $args[$sql_index{$fn}] // '';
		next if trim($sql) =~ /^const char \*sql$/;      # prototypes and definitions
		next if $file =~ m{^src/store/} && trim($sql) eq 'sql';
		next if trim($sql) eq 'sql' && $file =~ m{src/domain/demo\.c$}; # literal passed through load_places
		next if trim($sql) =~ /^(\w+)\s*\[[^\]]*\]$/ && $lit_array{$1};
		push @errors, "$file:" . line_of($text, $start) . ": $fn() needs literal SQL"
			unless is_literal(expand_macros($sql, \%lit_macro));
	}
	# every message id needs a Vietnamese translation
	while ($text =~ /\b_\(\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)\s*\)/g) {
		my $id = literal_text($1);
		push @errors, "$file:" . line_of($text, pos($text)) . ": no Vietnamese for _(\"$id\") in src/web/i18n_*.def"
			unless exists $catalogue{$id};
	}
}

if (@errors) {
	print STDERR "codecheck: $_\n" for @errors;
	printf STDERR "codecheck: %d problem(s)\n", scalar @errors;
	exit 1;
}
printf "codecheck: %d files clean\n", scalar @ARGV;
