/* SetErrorInfo keeps a reference to the thread's error object (AddRef), releases the one it
   replaces, and GetErrorInfo hands that reference over and clears it; another thread has its
   own. mpv's WinRT code sets it, and died on the missing SetErrorInfo. */
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>

typedef struct { IErrorInfoVtbl *lpVtbl; LONG refs; char name; } Counted;

static HRESULT STDMETHODCALLTYPE query(IErrorInfo *self, REFIID iid, void **out)
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE add_ref(IErrorInfo *self)
{
    return ++((Counted *)self)->refs;
}

static ULONG STDMETHODCALLTYPE release(IErrorInfo *self)
{
    return --((Counted *)self)->refs;
}

static IErrorInfoVtbl vtbl = {query, add_ref, release};

static Counted a = {&vtbl, 1, 'a'}, b = {&vtbl, 1, 'b'};

static void take(const char *what)
{
    IErrorInfo *got = (IErrorInfo *)0x1;
    HRESULT hr = GetErrorInfo(0, &got);
    printf("%s: %lx %c a=%ld b=%ld\n", what, hr, got ? ((Counted *)got)->name : '-', a.refs,
           b.refs);
}

static DWORD WINAPI other(void *unused)
{
    take("other thread");
    return 0;
}

int main(void)
{
    HRESULT hr = SetErrorInfo(0, (IErrorInfo *)&a);
    printf("set a %lx a=%ld\n", hr, a.refs);
    HANDLE t = CreateThread(NULL, 0, other, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    take("get");
    take("again");
    SetErrorInfo(0, (IErrorInfo *)&a);
    hr = SetErrorInfo(0, (IErrorInfo *)&b);
    printf("set b %lx a=%ld b=%ld\n", hr, a.refs, b.refs);
    hr = SetErrorInfo(0, NULL);
    printf("set none %lx a=%ld b=%ld\n", hr, a.refs, b.refs);
    take("after none");
    return 0;
}
